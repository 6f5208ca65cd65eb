"""The site's URL patterns, walked once for every test that needs all of them (the
permission matrix, the staff login guard, the HTTP method checks)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def url_patterns(
    descend: Callable[[str, URLResolver], bool] = lambda route, resolver: True,
) -> Iterator[tuple[str, URLPattern, str]]:
    """Every URL pattern of the project as ``(route, pattern, namespace)``: the route as
    written (from the root, without a leading slash), the pattern and its namespace
    (``"requests_dsar:"``, nested ones joined, ``""`` for none). ``descend`` decides for
    each nested resolver whether its patterns are walked."""

    def walk(patterns, prefix: str, namespace: str) -> Iterator[tuple[str, URLPattern, str]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not descend(route, pattern):
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                yield route, pattern, namespace

    yield from walk(get_resolver().url_patterns, "", "")
