"""deploy/nginx/ as a runnable nginx.conf for an nginx of our own in a temporary folder: used by
`make load` (bench/load.py) and by tests/test_deploy_https.py, so both run the real site.

Only what cannot be the same outside production is changed: the listening addresses (127.0.0.1
and the given ports, no IPv6), the server name, the certificate, the upstream servers, and the
paths (logs in the folder, the snippet and the error pages from this checkout). Every other line
of the site and of its snippet is used as written."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "nginx"
INSTALLED = "/opt/decision-aid/deploy/"  # where docs/deployment.md installs the repository


def _servers(site):
    """The site split into its part before the first server and each top-level server block."""
    starts = [m.start() for m in re.finditer(r"(?m)^server \{\n", site)]
    head = site[: starts[0]]
    blocks = []
    for start in starts:
        end = site.index("\n}\n", start) + 3
        blocks.append(site[start:end])
    return head, blocks


def runnable_config(
    folder,
    upstream_ports,
    port,
    *,
    http_port=None,
    certificate=None,
    key=None,
    server_name="127.0.0.1",
):
    """The whole nginx.conf. With `certificate` and `key`: the site as in production, TLS on
    `port` and the redirect to HTTPS on `http_port` (both with the default server that closes
    unknown names). Without: plain HTTP on `port` (the load test's client), the TLS server's
    settings but its `ssl_*` lines, and the default server on that port only."""
    folder = Path(folder)
    tls = certificate is not None
    site = (DEPLOY / "decision-aid.conf").read_text()
    site = site.replace("/var/log/nginx/decision-aid.", f"{folder}/")
    site = site.replace("REPLACE_ME.example.org", server_name)
    head, blocks = _servers(site)
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in upstream_ports)
    head = re.sub(r"(upstream decision_aid \{\n)(    server [^\n]+\n)+", r"\g<1>" + servers, head)

    kept = []
    for block in blocks:
        block = re.sub(r"(?m)^    listen \[::\][^\n]*\n", "", block)  # no IPv6 here
        redirect = "return 301" in block
        if not tls and redirect:
            continue  # the plain-HTTP run serves the app on its one port
        if tls:
            block = re.sub(r"(?m)^(    listen )80\b", rf"\g<1>127.0.0.1:{http_port}", block)
            block = re.sub(r"(?m)^(    listen )443\b", rf"\g<1>127.0.0.1:{port}", block)
            block = block.replace("/etc/ssl/certs/REPLACE_ME.pem", str(certificate))
            block = block.replace("/etc/ssl/private/REPLACE_ME.key", str(key))
        else:
            block = re.sub(r"(?m)^    listen 443[^\n]*\n", "", block)
            block = re.sub(r"(?m)^    ssl_[^\n]*\n", "", block)
            block = re.sub(r"(?m)^(    listen )80\b", rf"\g<1>127.0.0.1:{port}", block)
            if "listen" not in block:  # the TLS server, now on plain HTTP
                block = block.replace("{\n", f"{{\n    listen 127.0.0.1:{port};\n", 1)
        snippet = f"include {folder}/decision-aid-proxy.conf;"
        block = block.replace("include snippets/decision-aid-proxy.conf;", snippet)
        kept.append(block)

    snippet = (DEPLOY / "decision-aid-proxy.conf").read_text()
    (folder / "decision-aid-proxy.conf").write_text(snippet.replace(INSTALLED, f"{ROOT}/deploy/"))
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
{user}
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{head}{"".join(kept)}}}
"""
