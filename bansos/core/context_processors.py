from bansos.core.selectors import kelurahan_current


def platform(request):
    return {"kelurahan": kelurahan_current()}
