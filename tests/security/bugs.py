"""Authorization bugs the matrix found in views and API operations owned by other apps.

Keys: (route name or "api:" + operation id, cast member, method); the object-id cases of test_object_ids add a
fourth item, "other:" + the parameter given another scope's id. Each case is xfail(strict=True):
when the app is fixed the case passes, the strict xfail fails, and the entry must be removed here.
"""

BUGS: dict[tuple, str] = {}
