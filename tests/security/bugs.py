"""Authorization bugs the matrix found in views and API operations owned by other apps.

Keys: (route name or "api:" + operation id, cast member, method); the object-id cases of test_object_ids add a
fourth item, "other:" + the parameter given another scope's id. Each case is xfail(strict=True):
when the app is fixed the case passes, the strict xfail fails, and the entry must be removed here.
"""

_STUDENT_PAGE = (
    "education:student_detail GET shows an officer of ANY agency the record of a participant of another agency's "
    "education program: the months of attendance that are that program's condition, the program's warnings and "
    "suspensions and the stipends it paid (200; bansos/education/views.py student_detail checks only "
    "education.manage and applies can_student to the status form alone). DESIGN §2: a program officer sees that a "
    "household gets help elsewhere, not the other agency's details. Expected: refused (403) unless "
    "can_student(user, resident) - or, if the product keeps the school record readable, the condition, warnings "
    "and stipends hidden and this rule changed to say so.")

BUGS: dict[tuple, str] = {
    ("education:student_detail", "officer_other", "GET"): _STUDENT_PAGE,
    ("education:student_detail", "officer", "GET", "other:pk"): _STUDENT_PAGE,
}
