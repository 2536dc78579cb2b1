"""The project page links to its review pages for those the reviews selectors let in (their own unit: the
review page, not the rounds, as on that page; the bureau: both); another unit gets 404 on all of them."""

from __future__ import annotations

import pytest

from tests.reviews.helpers import assessment
from tongchou.reviews.routing import review_route


def _page(client, demo_users, username, url):
    client.logout()
    client.force_login(demo_users[username])
    return client.get(url)


@pytest.mark.django_db
def test_the_project_page_links_to_the_review_pages_for_who_may_see_them(client, demo_users, make_project, clock):
    project = make_project(name="州教育局智慧校园平台")
    detail = f"/projects/{project.pk}/"
    review_page = f'href="/reviews/projects/{project.pk}/"'

    before = _page(client, demo_users, "bureau", detail).content.decode()
    assert review_page in before and 'data-testid="review-round"' not in before  # no round yet

    review_round = review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    round_link = f'href="/reviews/rounds/{review_round.pk}/"'
    bureau = _page(client, demo_users, "bureau", detail).content.decode()
    assert review_page in bureau and round_link in bureau and f"第{review_round.number}轮" in bureau
    assert _page(client, demo_users, "bureau", f"/reviews/rounds/{review_round.pk}/").status_code == 200

    own = _page(client, demo_users, "applicant", detail).content.decode()
    assert review_page in own and round_link not in own
    assert _page(client, demo_users, "applicant", f"/reviews/projects/{project.pk}/").status_code == 200
    assert _page(client, demo_users, "applicant", f"/reviews/rounds/{review_round.pk}/").status_code == 404

    for url in (detail, f"/reviews/projects/{project.pk}/", f"/reviews/rounds/{review_round.pk}/"):
        other = _page(client, demo_users, "applicant2", url)
        assert other.status_code == 404 and review_page not in other.content.decode()
