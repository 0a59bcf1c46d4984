"""cchc: quarterly assessment of a Vietnamese commune's administrative-reform (CCHC) plan.

Data flows one way: plan and progress files → validated tables (``load_plan``) →
assessment → narrative, tables and charts → notebooks → HTML/PDF reports.
"""

from .errors import DataError, Issue
from .plan import Plan, load_plan

__version__ = "0.1.0"
__all__ = ["DataError", "Issue", "Plan", "load_plan", "__version__"]
