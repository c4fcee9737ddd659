from __future__ import annotations

import re

import requests


def test_static_files_are_served_from_s3_through_the_cdn_domain(stack):
    page = stack.session().get(stack.url("/admin/login/"), timeout=10)
    assert page.status_code == 200
    css = re.search(r'href="([^"]+/admin/css/base\.css)"', page.text)
    assert css, "the admin page links no stylesheet"
    url = css.group(1)
    assert url.startswith(
        f"http://127.0.0.1:{stack.info['s3'].rsplit(':', 1)[1]}/booking-static/static/"
    )
    asset = requests.get(url, timeout=10)
    assert asset.status_code == 200
    assert b"body" in asset.content


def test_media_is_private_and_reached_through_signed_urls(stack):
    url = stack.manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import default_storage as s;"
        "name = s.save('checks/hello.txt', ContentFile(b'hello media'));"
        "print(s.url(name))",
    ).strip()
    assert "/booking-media/media/checks/hello" in url
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=" in url
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == b"hello media"
    assert (
        requests.get(url.split("?", 1)[0], timeout=10).status_code == 403
    )  # not without a signature
