"""Every word the official report writes, one dict per language.

Kept in one place so that the strings move as they are into the message catalogue
(``cchc_lib/i18n``) and so that a test can check that an English document carries no
Vietnamese word of the tool (and the reverse). Placeholders use ``str.format``.
"""

from __future__ import annotations

W: dict[str, dict[str, object]] = {
    "vi": {
        "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "number": "Số:        /{symbol}",
        "date_blank": "{place}, ngày      tháng      năm {year}",
        "date_filled": "{place}, {date}",
        "title": "BÁO CÁO",
        "summary": "Kết quả thực hiện công tác cải cách hành chính {period}",
        "to": "Kính gửi:",
        "copies": "Nơi nhận:",
        "as_above": "Như trên;",
        "archive": "Lưu: VT.",
        "on_behalf": "TM. {body}",
        "sample_mark": "DỮ LIỆU MẪU",
        "sample_note": "DỮ LIỆU MẪU — số liệu tổng hợp để minh họa, không phải số liệu thật của xã.",
        "page": "Trang",
        "intro": (
            "Thực hiện {plan_title} (ban hành kèm theo Quyết định số {number} ngày {date}), "
            "{issuer} báo cáo kết quả thực hiện công tác cải cách hành chính (CCHC) {period} như sau "
            "(số liệu tính từ ngày {start} đến ngày {end}):"
        ),
        "s1": "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "s1_sub": {
            "plan": "Công tác kế hoạch",
            "inspection": "Công tác kiểm tra",
            "communication": "Công tác tuyên truyền",
            "survey": "Khảo sát sự hài lòng của người dân, tổ chức",
            "initiatives": "Sáng kiến, mô hình mới trong cải cách hành chính",
        },
        "s1_topic": {
            "plan": "công tác kế hoạch",
            "inspection": "công tác kiểm tra",
            "communication": "công tác tuyên truyền",
            "survey": "khảo sát sự hài lòng",
            "initiatives": "sáng kiến, mô hình mới",
        },
        "plan_issued": (
            "Ủy ban nhân dân xã ban hành Kế hoạch CCHC năm {year} tại Quyết định số {number} ngày {date}, "
            "gồm {targets} chỉ tiêu và {tasks} nhiệm vụ, giao đơn vị chủ trì thực hiện từng nhiệm vụ."
        ),
        "s2": "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "s3": "III. ĐÁNH GIÁ CHUNG",
        "s3_1": "Ưu điểm",
        "s3_2": "Tồn tại, hạn chế và nguyên nhân",
        "s4": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
        "s5": "V. ĐỀ XUẤT, KIẾN NGHỊ",
        "nothing": "Trong kỳ, không có nội dung báo cáo về {topic}.",
        "topic_strengths": "ưu điểm",
        "topic_shortcomings": "tồn tại, hạn chế",
        "topic_next": "nhiệm vụ kỳ tới",
        "topic_proposals": "đề xuất, kiến nghị",
        "area_counts": "Kế hoạch giao {parts} thuộc lĩnh vực {area}.",
        "n_targets": "{n} chỉ tiêu",
        "n_tasks": "{n} nhiệm vụ",
        "n_tasks_split": "{n} nhiệm vụ ({dated} nhiệm vụ có thời hạn, {recurring} nhiệm vụ thường xuyên)",
        "task_counts": "Đến ngày {end}, các nhiệm vụ có thời hạn về {scope}: {parts}.",
        "recurring_counts": (
            "Trong {n} nhiệm vụ thường xuyên về {scope}, {reported} nhiệm vụ có báo cáo kết quả trong kỳ, "
            "{missing} nhiệm vụ chưa có báo cáo."
        ),
        "area_scope": "lĩnh vực {area}",
        "recurring_all": "Cả {n} nhiệm vụ thường xuyên về {scope} đều có báo cáo kết quả trong kỳ.",
        "done_before": "Đã hoàn thành từ các kỳ trước: {tasks}.",
        "recurring_missing": "Chưa có báo cáo kết quả trong kỳ: {tasks}.",
        "task_ref": "“{text}” ({unit})",
        "done": ("{unit} đã hoàn thành nhiệm vụ “{text}” ngày {completed}{evidence}, {timing} (hạn {deadline})."),
        "done_nodeadline": "{unit} đã hoàn thành nhiệm vụ “{text}” ngày {completed}{evidence}.",
        "evidence": " (văn bản chứng minh: {evidence})",
        "no_evidence": " (chưa có văn bản chứng minh kết quả)",
        "on_time": "đúng hạn",
        "late_by": "trễ {days} ngày",
        "overdue": (
            "Nhiệm vụ “{text}” do {unit} chủ trì, hạn {deadline}, đến ngày {end} chưa hoàn thành, "
            "chậm {days} ngày; {reason}."
        ),
        "overdue_odd": (
            "Nhiệm vụ “{text}” do {unit} chủ trì ghi thời hạn {deadline}, trước ngày ban hành Kế hoạch; "
            "đến ngày {end} chưa hoàn thành; {reason}."
        ),
        "reason": "lý do: {note}",
        "no_reason": "đơn vị chưa báo cáo lý do",
        "in_progress": "Nhiệm vụ “{text}” do {unit} chủ trì đang thực hiện, hạn {deadline}.",
        "cancelled": "Nhiệm vụ “{text}” do {unit} chủ trì không thực hiện{reason}.",
        "cancel_reason": "; lý do: {note}",
        "target": "{indicator} đạt {actual}, so với chỉ tiêu {target}: {verdict}.",
        "target_no_data": "{indicator}: chưa có số liệu trong kỳ (chỉ tiêu {target}).",
        "target_not_due": "{indicator}: đánh giá vào cuối năm (chỉ tiêu {target}).",
        "target_estimate": (
            "{indicator}: chỉ tiêu {target}; điểm ước tính nội bộ của công cụ là {score}/100, "
            "không phải kết quả chấm điểm chính thức."
        ),
        "target_conflict": " Kế hoạch đặt mức khác cho cùng chỉ số ({other}); báo cáo đánh giá theo cả hai mức.",
        "verdict": {
            "met": "đạt",
            "on_track": "đúng tiến độ",
            "at_risk": "có nguy cơ không đạt",
            "missed": "không đạt",
        },
        "comparator": {"≥": "tối thiểu", "≤": "tối đa", "=": ""},
        "notes_lead": "Kết quả nổi bật: {text}",
        "difficulty_lead": "Khó khăn, vướng mắc: {text}",
        "tthc_heading": "Kết quả giải quyết thủ tục hành chính",
        "tthc": (
            "Trong kỳ, Bộ phận một cửa tiếp nhận {received} hồ sơ ({online} trực tuyến, {direct} trực tiếp, "
            "{postal} qua dịch vụ bưu chính công ích) và {carried} hồ sơ kỳ trước chuyển qua; đã giải quyết "
            "{resolved} hồ sơ ({early} trước hạn, {on_time} đúng hạn, {late} quá hạn); đang giải quyết "
            "{pending} hồ sơ ({not_due} chưa đến hạn, {overdue} quá hạn). Chi tiết tại Phụ lục I."
        ),
        "tthc_none": "Trong kỳ, chưa có sổ theo dõi hồ sơ của Bộ phận một cửa để tổng hợp kết quả giải quyết TTHC.",
        "survey": (
            "Qua đánh giá của người dân, tổ chức trên hệ thống một cửa, {satisfied}/{rated} lượt đánh giá "
            "hài lòng ({rate})."
        ),
        "survey_land": " Riêng lĩnh vực đất đai: {satisfied}/{rated} lượt hài lòng ({rate}).",
        "strength_targets": "{n} chỉ tiêu đã đạt: {names}.",
        "strength_tasks": "{n} nhiệm vụ có thời hạn hoàn thành đúng hạn.",
        "strength_recurring": "{n} nhiệm vụ thường xuyên được triển khai và có báo cáo kết quả trong kỳ.",
        "weak_targets": "{n} chỉ tiêu chưa đạt hoặc có nguy cơ không đạt: {names}.",
        "weak_tasks": "{n} nhiệm vụ quá hạn chưa hoàn thành: {names}.",
        "weak_late": "{n} nhiệm vụ hoàn thành trễ hạn.",
        "weak_missing": "{n} nhiệm vụ thường xuyên chưa có báo cáo kết quả trong kỳ.",
        "weak_data": "{n} chỉ tiêu chưa có số liệu để đánh giá.",
        "causes": "Nguyên nhân: {text}",
        "causes_tasks": "Nguyên nhân chậm tiến độ do các đơn vị nêu: {text}.",
        "next_overdue": "{unit} hoàn thành nhiệm vụ “{text}” (quá hạn từ ngày {deadline}) trong {next}.",
        "next_due": "{unit} thực hiện nhiệm vụ “{text}”, hạn {deadline}.",
        "next_target": "{unit} tập trung nâng {indicator} từ {actual} lên {target}.",
        "next_recurring": "Các đơn vị tiếp tục thực hiện {n} nhiệm vụ thường xuyên và báo cáo kết quả đúng kỳ.",
        "next_period_label": "{label}",
        "year_end": "năm tiếp theo",
        "annex": "Phụ lục {n}",
        "annex_of": "(Kèm theo Báo cáo số        /{symbol} ngày      tháng      năm {year} của {issuer})",
        "annex_tthc": "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {period}",
        "annex_targets": "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {period}",
        "annex_window": "Số liệu từ ngày {start} đến ngày {end}.",
        "tthc_cols_top": [
            "STT",
            "Lĩnh vực",
            "Số hồ sơ nhận giải quyết",
            "Số hồ sơ đã giải quyết",
            "Số hồ sơ đang giải quyết",
        ],
        "tthc_cols": [
            "Tổng số",
            "Kỳ trước chuyển qua",
            "Mới tiếp nhận trực tuyến",
            "Mới tiếp nhận trực tiếp",
            "Mới tiếp nhận qua bưu chính",
            "Tổng số",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Tổng số",
            "Chưa đến hạn",
            "Quá hạn",
        ],
        "total": "Tổng cộng",
        "no_field": "(chưa ghi lĩnh vực)",
        "target_cols": ["STT", "Chỉ tiêu", "Kế hoạch", "Kết quả", "Đánh giá"],
        "status_word": {
            "met": "Đạt",
            "on_track": "Đúng tiến độ",
            "at_risk": "Có nguy cơ không đạt",
            "missed": "Không đạt",
            "not_due": "Chưa đến kỳ đánh giá",
            "no_data": "Chưa có số liệu",
            "estimate": "Ước tính nội bộ",
        },
        "periods": {
            "Q": "quý {roman} năm {year}",
            "H1": "6 tháng đầu năm {year}",
            "H2": "6 tháng cuối năm {year}",
            "Y": "năm {year}",
        },
    },
    "en": {
        "nation": "SOCIALIST REPUBLIC OF VIET NAM",
        "motto": "Independence - Freedom - Happiness",
        "number": "No.:        /{symbol}",
        "date_blank": "{place}, ……… {year}",
        "date_filled": "{place}, {date}",
        "title": "REPORT",
        "summary": "Results of administrative reform in {period}",
        "to": "To:",
        "copies": "Recipients:",
        "as_above": "As above;",
        "archive": "Filed: Records.",
        "on_behalf": "ON BEHALF OF THE {body}",
        "sample_mark": "SAMPLE DATA",
        "sample_note": "SAMPLE DATA — synthetic figures for illustration, not the commune's real data.",
        "page": "Page",
        "intro": (
            "Pursuant to the {plan_title} (issued with Decision No. {number} of {date}), the {issuer} reports "
            "the results of administrative reform in {period} as follows (figures from {start} to {end}):"
        ),
        "s1": "I. DIRECTION AND MANAGEMENT",
        "s1_sub": {
            "plan": "Planning",
            "inspection": "Inspection",
            "communication": "Communication",
            "survey": "Surveys of citizen and business satisfaction",
            "initiatives": "Initiatives and new models in administrative reform",
        },
        "s1_topic": {
            "plan": "planning",
            "inspection": "inspection",
            "communication": "communication",
            "survey": "satisfaction surveys",
            "initiatives": "initiatives and new models",
        },
        "plan_issued": (
            "The People's Committee issued the administrative reform plan for {year} with Decision No. {number} "
            "of {date}: {targets} targets and {tasks} tasks, each assigned to a lead unit."
        ),
        "s2": "II. RESULTS OF THE ADMINISTRATIVE REFORM TASKS",
        "s3": "III. OVERALL ASSESSMENT",
        "s3_1": "Strengths",
        "s3_2": "Shortcomings, limitations and their causes",
        "s4": "IV. DIRECTIONS AND TASKS FOR THE NEXT PERIOD",
        "s5": "V. PROPOSALS AND RECOMMENDATIONS",
        "nothing": "Nothing was reported on {topic} in the period.",
        "topic_strengths": "strengths",
        "topic_shortcomings": "shortcomings",
        "topic_next": "tasks for the next period",
        "topic_proposals": "proposals",
        "area_counts": "The plan sets {parts} in the area of {area}.",
        "n_targets": "{n} targets",
        "n_tasks": "{n} tasks",
        "n_tasks_split": "{n} tasks ({dated} with a deadline, {recurring} standing duties)",
        "task_counts": "As of {end}, the tasks with a deadline on {scope}: {parts}.",
        "recurring_counts": (
            "Of {n} standing duties on {scope}, {reported} have a report of results in the period "
            "and {missing} have none."
        ),
        "area_scope": "{area}",
        "recurring_all": "All {n} standing duties on {scope} have a report of results in the period.",
        "done_before": "Completed in earlier periods: {tasks}.",
        "recurring_missing": "No report of results in the period: {tasks}.",
        "task_ref": "“{text}” ({unit})",
        "done": "{unit} completed the task “{text}” on {completed}{evidence}, {timing} (deadline {deadline}).",
        "done_nodeadline": "{unit} completed the task “{text}” on {completed}{evidence}.",
        "evidence": " (supporting document: {evidence})",
        "no_evidence": " (no supporting document reported)",
        "on_time": "on time",
        "late_by": "{days} days late",
        "overdue": (
            "The task “{text}”, led by {unit} with the deadline {deadline}, was not completed by {end}: "
            "{days} days overdue; {reason}."
        ),
        "overdue_odd": (
            "The task “{text}”, led by {unit}, carries the deadline {deadline}, earlier than the plan itself; "
            "not completed by {end}; {reason}."
        ),
        "reason": "reason given: {note}",
        "no_reason": "the unit has not reported a reason",
        "in_progress": "The task “{text}”, led by {unit}, is in progress; deadline {deadline}.",
        "cancelled": "The task “{text}”, led by {unit}, was cancelled{reason}.",
        "cancel_reason": "; reason given: {note}",
        "target": "{indicator} reached {actual} against the target of {target}: {verdict}.",
        "target_no_data": "{indicator}: no figure in the period (target {target}).",
        "target_not_due": "{indicator}: assessed at the end of the year (target {target}).",
        "target_estimate": (
            "{indicator}: target {target}; the tool's internal estimate is {score}/100, not an official score."
        ),
        "target_conflict": " The plan sets another value for the same indicator ({other}); both are assessed.",
        "verdict": {"met": "met", "on_track": "on track", "at_risk": "at risk", "missed": "missed"},
        "comparator": {"≥": "at least", "≤": "at most", "=": ""},
        "notes_lead": "Highlights: {text}",
        "difficulty_lead": "Difficulties: {text}",
        "tthc_heading": "Results of administrative procedures",
        "tthc": (
            "In the period the one-stop shop received {received} dossiers ({online} online, {direct} in person, "
            "{postal} by public postal service) and carried over {carried} from the previous period; it resolved "
            "{resolved} ({early} early, {on_time} on time, {late} late); {pending} are pending ({not_due} not yet "
            "due, {overdue} overdue). Details in Annex I."
        ),
        "tthc_none": "No one-stop dossier log was available in the period to summarise procedure results.",
        "survey": "Of {rated} ratings given by citizens and businesses in the one-stop system, {satisfied} were "
        "satisfied ({rate}).",
        "survey_land": " Land field alone: {satisfied} of {rated} satisfied ({rate}).",
        "strength_targets": "{n} targets met: {names}.",
        "strength_tasks": "{n} tasks with a deadline completed on time.",
        "strength_recurring": "{n} standing duties carried out with a report of results in the period.",
        "weak_targets": "{n} targets missed or at risk: {names}.",
        "weak_tasks": "{n} overdue tasks not completed: {names}.",
        "weak_late": "{n} tasks completed late.",
        "weak_missing": "{n} standing duties without a report of results in the period.",
        "weak_data": "{n} targets without a figure to assess.",
        "causes": "Causes: {text}",
        "causes_tasks": "Causes of delay given by the units: {text}.",
        "next_overdue": "{unit} to complete the task “{text}” (overdue since {deadline}) in {next}.",
        "next_due": "{unit} to carry out the task “{text}”, deadline {deadline}.",
        "next_target": "{unit} to raise {indicator} from {actual} to {target}.",
        "next_recurring": "The units continue their {n} standing duties and report on them every period.",
        "next_period_label": "{label}",
        "year_end": "the next year",
        "annex": "Annex {n}",
        "annex_of": "(Attached to Report No.        /{symbol} of ……… {year} of the {issuer})",
        "annex_tthc": "RESULTS OF ADMINISTRATIVE PROCEDURES, {period}",
        "annex_targets": "RESULTS AGAINST THE TARGETS, {period}",
        "annex_window": "Figures from {start} to {end}.",
        "tthc_cols_top": ["No.", "Field", "Dossiers to resolve", "Dossiers resolved", "Dossiers pending"],
        "tthc_cols": [
            "Total",
            "Carried over",
            "New online",
            "New in person",
            "New by post",
            "Total",
            "Early",
            "On time",
            "Late",
            "Total",
            "Not yet due",
            "Overdue",
        ],
        "total": "Total",
        "no_field": "(field not recorded)",
        "target_cols": ["No.", "Target", "Plan", "Result", "Assessment"],
        "status_word": {
            "met": "Met",
            "on_track": "On track",
            "at_risk": "At risk",
            "missed": "Missed",
            "not_due": "Not yet due",
            "no_data": "No data",
            "estimate": "Internal estimate",
        },
        "periods": {
            "Q": "the {ordinal} quarter of {year}",
            "H1": "the first half of {year}",
            "H2": "the second half of {year}",
            "Y": "the year {year}",
        },
    },
}

ROMAN = ("I", "II", "III", "IV")
ORDINAL = ("first", "second", "third", "fourth")
