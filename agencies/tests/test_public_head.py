"""HEAD on every public URL answers as GET does, without the body: link checkers and
caches ask with HEAD."""

import pytest

from agencies.testing import certified
from portal.publication.reading import published_lists

#: Headers that differ between any two requests, whatever the method.
PER_REQUEST = {"X-Request-ID", "Content-Security-Policy", "Date"}

PUBLIC_URLS = [
    "/public/",
    "/public/agencies/japan/",
    "/public/agencies/japan/?lang=ja",
    "/public/agencies/japan/?q=somon",
    "/public/agencies/tajikistan/feed.atom",
    "/public/agencies/tajikistan/current.json",
    "/public/agencies/tajikistan/current.csv",
    "/public/agencies/tajikistan/current.html",
    "/public/agencies/tajikistan/current.pdf",
    "/public/agencies/japan/versions/",
    "/public/agencies/japan/versions/1/",
    "/public/agencies/japan/versions/1.json",
    "/public/agencies/japan/agency/TJ-H-1/",
    "/healthz",
]


@pytest.fixture
def published(cast, django_capture_on_commit_callbacks):
    published_lists.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certified(cast["tj_officer"], number="TJ-H-1", name_en="Somon")
    yield
    published_lists.clear()


def headers(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name not in PER_REQUEST}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_head_answers_like_get_without_a_body(client, published, url):
    get = client.get(url)
    head = client.head(url)
    assert get.status_code == 200
    assert body(get)
    assert head.status_code == 200
    assert headers(head) == headers(get)
    assert body(head) == b""


def test_head_is_conditional_like_get(client, published):
    etag = client.get("/public/agencies/japan/feed.atom")["ETag"]
    assert client.head("/public/agencies/japan/feed.atom", headers={"If-None-Match": etag}).status_code == 304


def test_the_public_pages_still_refuse_a_post(client, published):
    assert client.post("/public/agencies/japan/").status_code == 405
