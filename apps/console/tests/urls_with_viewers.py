"""The project's URLs plus a page at the root, standing in for the viewers' web app that is not written yet."""

from django.http import HttpResponse
from django.urls import path

from revenge.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("", lambda request: HttpResponse("viewers"))]
