"""Trunk post-build hook: puts a Content-Security-Policy <meta> tag into the built index.html.

The page may load scripts, workers, WebAssembly, styles and images from its own origin only;
the one inline script (Trunk's loader, which changes with every build) is allowed by its
SHA-256 hash, and inline style *attributes* are allowed because plotters measures text with one. Any static host then serves the policy with the page.
"""
import base64
import hashlib
import os
import re
import sys

html_path = os.path.join(os.environ.get("TRUNK_STAGING_DIR", "dist"), "index.html")
html = open(html_path, encoding="utf-8").read()
scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(
    "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
    for s in scripts
)
policy = "; ".join([
    "default-src 'none'",
    f"script-src 'self' 'wasm-unsafe-eval' {hashes}",
    "worker-src 'self'",
    "connect-src 'self'",
    "style-src 'self'",
    # plotters measures chart text with a styled <span> (setAttribute("style", …)): style
    # attributes only; they cannot run code. <style> elements stay refused.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
])
meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', "", html)
html = html.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n  ' + meta, 1)
if meta not in html:
    sys.exit("csp.py: no <meta charset> to put the policy after")
open(html_path, "w", encoding="utf-8").write(html)
