"""URL canonicalisation: the URL a record carries, and the key under which a URL is remembered.

`canonical_url` keeps a real, fetchable URL: w3lib's canonical form (percent-encoding of Bengali
slugs normalised, query sorted, fragment dropped) without tracking parameters.

`url_key` goes further, for "have we seen this article?": the variants outlets serve for one
article (http/https, www./bare/mobile host, AMP paths, trailing slashes) share one key.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from newswatch.text import nfc

TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|igshid|mc_cid|mc_eid|yclid|_ga|ref|ref_src|"
    r"cmpid|s_cid|share|from|amp|maca|at_medium|at_campaign)$",  # maca: DW; at_*: BBC
    re.IGNORECASE,
)
_HOST_PREFIX = re.compile(r"^(www\d?|m|mobile|amp)\.")
_AMP_PATH = re.compile(r"(/amp)+/?$|^/amp(?=/)", re.IGNORECASE)


def _without_tracking(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if not TRACKING.match(k)])


def canonical_url(url: str) -> str:
    """A fetchable canonical form: w3lib canonicalisation, tracking parameters removed."""
    parts = urlsplit(canonicalize_url(url))
    return urlunsplit(
        (parts.scheme, parts.netloc.lower(), parts.path or "/", _without_tracking(parts.query), "")
    )


def url_key(url: str) -> str:
    """One key for every variant of an article URL: host without www./m./amp., no scheme,
    no AMP suffix or prefix, no trailing slash, no tracking parameters."""
    parts = urlsplit(canonical_url(url))
    host = _HOST_PREFIX.sub("", (parts.hostname or "").lower())
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    # Bengali slugs: the same word percent-encoded from either encoding of য়/ড়/ঢ় is one path.
    path = quote(nfc(unquote(parts.path)), safe="/%:@!$&'()*+,;=-._~")
    path = _AMP_PATH.sub("", path).rstrip("/") or "/"
    return host + path + (f"?{parts.query}" if parts.query else "")
