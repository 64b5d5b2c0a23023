"""Bot-check interstitials: a response that is a "prove you are a browser" page, not the content.

Sites behind Cloudflare, DDoS-Guard, Sucuri, Imperva (Incapsula), DataDome, PerimeterX, Akamai
or AWS WAF answer a client they doubt with a challenge page instead of the article or the feed,
often with status 200 (else 403 or 503, which Cloudflare marks with `cf-mitigated: challenge`;
the fetch reads no other error body). Stored as an article it would be "Just a moment...
Checking if the site connection is secure"; parsed as a feed, "not a feed". Such a page is a
temporary refusal: the fetch records it as `bot_check` and later runs try the URL again (like a
503), up to the page's attempts.

The page is recognised by markers that only the challenge pages carry, read from the first bytes
of the body as bytes (any charset): the vendors' challenge scripts and titles, not the scripts the
same vendors inject into every real page they serve (Cloudflare's `/cdn-cgi/challenge-platform/
scripts/jsd/main.js` and `__CF$cv$params`, Imperva's `_Incapsula_Resource`, DataDome's tag), and
only on a small body: a real article is larger than a challenge page. A block page ("Sorry, you
have been blocked", "Access denied") is not a challenge: it stays the HTTP error it is.
"""

from __future__ import annotations

# Challenge pages are small (Cloudflare's ~5-40 KB with its inline scripts); a page above this
# is content whatever scripts it carries.
MAX_CHALLENGE_BYTES = 150_000
_HEAD_BYTES = 65_536

# (marker in the lower-cased first bytes of the body, who serves it), the first found names it
_MARKERS: tuple[tuple[bytes, str], ...] = (
    (b"_cf_chl_opt", "Cloudflare challenge"),
    (b"cf-browser-verification", "Cloudflare challenge"),
    (b"<title>just a moment...</title>", "Cloudflare challenge"),
    (b"<title>ddos-guard</title>", "DDoS-Guard check"),
    (b"sucuri_cloudproxy_js", "Sucuri check"),
    (b"incapsula incident id", "Imperva (Incapsula) check"),
    (b"captcha-delivery.com", "DataDome captcha"),
    (b"px-captcha", "PerimeterX captcha"),
    (b"/_sec/cp_challenge/", "Akamai challenge"),
    (b"awswafintegration", "AWS WAF challenge"),
    # Cloudflare's challenge loader (the script every page gets is under /scripts/jsd/, not this)
    (b"/orchestrate/chl_page/", "Cloudflare challenge"), (b"/orchestrate/managed/", "Cloudflare challenge"),
    (b"/orchestrate/captcha/", "Cloudflare challenge"),
    # SiteGround's bot check (shared hosting of many small outlets): a 202 refreshing to its captcha
    (b"/.well-known/sgcaptcha/", "SiteGround captcha"),
    (b"<title>vercel security checkpoint</title>", "Vercel checkpoint"),
    # the vendors' wording, for a challenge page whose scripts are not those above (last: a
    # vendor's own marker names it first)
    (b"checking your browser before accessing", "browser check"),
    (b"enable javascript and cookies to continue", "browser check"),
    (b"verifying you are human. this may take a few seconds", "browser check"),
    (b"checking if the site connection is secure", "browser check"),
    (b"please wait while your request is being verified", "browser check"),
)


def bot_check(status: int, headers: dict[str, str], body: bytes) -> str | None:
    """Why this response is a bot-check page (None: it is not one). `headers` with lower-case
    names, as the fetch keeps them."""
    if headers.get("cf-mitigated", "").strip().lower() == "challenge":  # Cloudflare says so itself
        return "Cloudflare challenge"
    if not body or len(body) > MAX_CHALLENGE_BYTES or not 200 <= status < 300:
        return None  # the fetch reads no error body: a 403/503 challenge is known by its header only
    head = body[:_HEAD_BYTES].lower()
    for marker, who in _MARKERS:
        if marker in head:
            return who
    return None
