from django.urls import path

from apps.playback.api.views import FileStreamView

urlpatterns = [
    path("files/<int:pk>/stream/", FileStreamView.as_view(), name="file-stream"),
]
