"""What a visitor can ask of the list of stories, independent of any database."""
from __future__ import annotations

import dataclasses
import datetime as dt

SORTS = ("recent", "similar", "relevance")
MAX_PER_PAGE = 100
# Counting every match of a common word among a million stories costs more than the page
# itself; beyond this many we say "more than".
COUNT_CAP = 1_000
# "Most relevant" ranks this many most recent matches, so its cost does not grow with the table.
RELEVANCE_WINDOW = 2_000


@dataclasses.dataclass(frozen=True)
class SearchCriteria:
    q: str | None = None
    network: str | None = None
    structure: str | None = None
    feeling: str | None = None
    answered: bool | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "recent"
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def effective_sort(self) -> str:
        # Relevance means nothing without words to be relevant to.
        return "recent" if self.sort == "relevance" and not self.q else self.sort


@dataclasses.dataclass(frozen=True)
class SearchPage:
    items: list[dict]
    total: int
    # True when there are more than COUNT_CAP matches and ``total`` is that cap.
    total_capped: bool
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))
