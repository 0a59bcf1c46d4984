"""cchc: quarterly assessment of a Vietnamese commune's administrative-reform (CCHC) plan.

Data flows one way: plan and progress files → validated tables (``load_inputs`` for
both, or ``load_plan``, ``load_progress``) → ``assess`` → narrative, tables and charts → notebooks → HTML/PDF.
"""

from cchc_lib.assessment.engine import Assessment, assess
from cchc_lib.core.errors import DataError, Issue
from cchc_lib.plan.model import Plan, load_plan
from cchc_lib.progress.inputs import Inputs, load_inputs
from cchc_lib.progress.loader import Progress, load_progress

__version__ = "0.1.0"
__all__ = [
    "Assessment",
    "DataError",
    "Inputs",
    "Issue",
    "Plan",
    "Progress",
    "assess",
    "load_inputs",
    "load_plan",
    "load_progress",
    "__version__",
]
