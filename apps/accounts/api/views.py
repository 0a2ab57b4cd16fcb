from rest_framework.generics import RetrieveAPIView
from rest_framework.permissions import IsAuthenticated

from apps.accounts.api.serializers import UserMeSerializer
from apps.accounts.models import User


class UserMeView(RetrieveAPIView):
    """The user making the request."""

    serializer_class = UserMeSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self) -> User:
        return self.request.user
