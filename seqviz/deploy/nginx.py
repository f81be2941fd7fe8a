"""nginx in front of seqviz replicas: the configuration (a pure function of the ports) and the process.

Session affinity: a Streamlit session lives in one replica's memory (its widgets, its trained models, the
images its figures serve under /media), and its websocket must reach that replica on every reconnect, its
uploads and media requests too. Every client of a test, and every laptop behind a school's NAT, comes from
one address, so affinity by IP would send a whole class to one replica. nginx instead hashes a cookie: the
first response a browser gets sets `seqviz_replica` to that request's random id, and every later request
(the websocket included) carries it, so the consistent hash keeps the browser on one replica; a replica
that stops answering is skipped (the hash moves those browsers on, and the page reconnects)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

COOKIE = "seqviz_replica"
UPLOAD_MB = 8  # above the app's own limit (server.maxUploadSize, 5 MB): Streamlit gives the clear refusal


def config(replica_ports: list[int], port: int, run_dir: Path, address: str = "127.0.0.1") -> str:
    """nginx.conf for replicas on 127.0.0.1:replica_ports, listening on address:port; its pid, logs and
    temporary files in run_dir."""
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in replica_ports)
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"  {kind}_temp_path {run_dir}/{kind};" for kind in kinds)
    return f"""# written by python -m seqviz.deploy: {len(replica_ports)} seqviz replicas behind one address
daemon off;
worker_processes 1;
pid {run_dir}/nginx.pid;
error_log {run_dir}/error.log warn;
events {{ worker_connections 4096; }}

http {{
  access_log off;
{temp}
  client_max_body_size {UPLOAD_MB}m;

  # a websocket upgrade is passed on as one; other requests keep their connection to the replica
  map $http_upgrade $connection_upgrade {{ default upgrade; "" ""; }}
  # affinity: the browser's cookie, or (on its first request) this request's random id, set as the cookie
  map $cookie_{COOKIE} $affinity {{ "" $request_id; default $cookie_{COOKIE}; }}

  upstream seqviz {{
    hash $affinity consistent;
{servers}
    keepalive 16;
  }}

  server {{
    listen {address}:{port};
    location / {{
      proxy_pass http://seqviz;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 1d;  # a session's websocket stays open for the whole lesson
      proxy_send_timeout 1d;
      proxy_buffering off;
      add_header Set-Cookie "{COOKIE}=$affinity; Path=/; HttpOnly; SameSite=Lax" always;
      add_header X-Seqviz-Replica $upstream_addr always;  # which replica answered: for the IT person, and tests
    }}
  }}
}}
"""


def executable() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


@contextmanager
def running(replica_ports: list[int], port: int, address: str = "127.0.0.1"):
    """nginx in front of the replicas until the block ends. -> its process"""
    binary = executable()
    if binary is None:
        raise RuntimeError("nginx is not installed: apt-get install nginx (Debian, Ubuntu)")
    run_dir = Path(tempfile.mkdtemp(prefix="seqviz-nginx-"))
    run_dir.chmod(0o755)  # nginx's workers (another user when started as root) create temporary files here
    conf = run_dir / "nginx.conf"
    conf.write_text(config(replica_ports, port, run_dir, address))
    checked = subprocess.run([binary, "-t", "-q", "-p", str(run_dir), "-c", str(conf)], capture_output=True, text=True)
    if checked.returncode:
        raise RuntimeError(f"nginx refused its configuration: {checked.stderr.strip()}")
    process = subprocess.Popen([binary, "-p", str(run_dir), "-c", str(conf)], stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.3)
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped at once: {process.stderr.read().strip()}")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(run_dir, ignore_errors=True)
