"""Page-number pagination shared by every list endpoint."""

from rest_framework.pagination import PageNumberPagination as DRFPageNumberPagination


class PageNumberPagination(DRFPageNumberPagination):
    """`?page=N&page_size=M`; answers with count, next, previous and results."""

    page_size_query_param = "page_size"
    max_page_size = 200
