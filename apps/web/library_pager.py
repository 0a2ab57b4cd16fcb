"""The library grid's pages: ids first from the listing index, then the page's 48 titles by id.

A page deep in a large library (page 1,000 of 1,800) skips tens of thousands of titles. Skipping them over
the table reads every skipped row; skipping them in an index that holds the sort key and the visibility
columns (library, sort title, id, has_main_file, age rating) reads the index only, then fetches 48 rows.
The count is the one the filter choices already made for the unfiltered grid, or a cached count.
"""

from __future__ import annotations

from django.core.paginator import Page

from apps.media.api.catalogue_pagination import CachedCountPaginator


class LibraryPaginator(CachedCountPaginator):
    """Pages of a visible, ordered queryset of titles, read ids first."""

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        # The rows go through the same visibility and filters again (a title hidden in between stays hidden),
        # and come back in the order of the ids.
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
