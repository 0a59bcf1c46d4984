# Before any report module imports nbformat (hence jsonschema): see cchc_lib.core.deferred.
from cchc_lib.core.deferred import defer_all as _defer_all

_defer_all()
