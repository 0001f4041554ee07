"""Trunk post-build hook: tidies what Trunk wrote, then puts a Content-Security-Policy <meta> tag
into the built index.html.

Tidying (each fixes a console warning at load):
- the wasm `<link rel="preload" as="fetch">` loses its `integrity` attribute, which Chromium
  ignores for fetch preloads and warns about (the module script keeps its integrity);
- the worker's loader calls wasm-bindgen's init with an options object, not the deprecated
  bare path;
- every other `integrity` is recomputed from the file in the staging folder: the bins share
  wasm-bindgen's snippet folder, and when Trunk builds them in parallel a snippet's hash can
  come from another bin's copy than the one left on disk (seen once: the page did not start).

The page may load scripts, workers, WebAssembly, styles and images from its own origin only;
the one inline script (Trunk's loader, which changes with every build) is allowed by its
SHA-256 hash, and inline style *attributes* are allowed because plotters measures text with one. Any static host then serves the policy with the page.
"""
import base64
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR", "dist")
html_path = os.path.join(staging, "index.html")
html = open(html_path, encoding="utf-8").read()

# Trunk's release build is minified (attributes unquoted, reordered): match either form.
def drop_fetch_integrity(tag):
    link = tag.group(0)
    if not re.search(r'\bas="?fetch\b', link):
        return link
    return re.sub(r'\s+integrity=("[^"]*"|[^\s>]+)', "", link)


html = re.sub(r"<link\b[^>]*>", drop_fetch_integrity, html)


def true_integrity(tag):
    text = tag.group(0)
    ref = re.search(r'\b(?:href|src)=("[^"]*"|[^\s>]+)', text)
    if not ref or "integrity=" not in text:
        return text
    path = os.path.join(staging, ref.group(1).strip('"').removeprefix("./"))
    if not os.path.isfile(path):
        return text
    digest = base64.b64encode(hashlib.sha384(open(path, "rb").read()).digest()).decode()
    return re.sub(r'integrity=("[^"]*"|[^\s>]+)', f'integrity="sha384-{digest}"', text)


html = re.sub(r"<(?:link|script)\b[^>]*>", true_integrity, html)
for name in os.listdir(staging):
    if name.endswith("_loader.js"):
        loader_path = os.path.join(staging, name)
        loader = open(loader_path, encoding="utf-8").read()
        loader = re.sub(r'wasm_bindgen\(("[^"]+\.wasm")\)', r"wasm_bindgen({ module_or_path: \1 })", loader)
        open(loader_path, "w", encoding="utf-8").write(loader)
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
    # The clipping explainer, a static page of this app's own, opens in a frame.
    "frame-src 'self'",
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
html = re.sub(r'(<meta charset="?utf-8"?>)', lambda m: m.group(1) + meta, html, count=1)
if meta not in html:
    sys.exit("csp.py: no <meta charset> to put the policy after")
open(html_path, "w", encoding="utf-8").write(html)
