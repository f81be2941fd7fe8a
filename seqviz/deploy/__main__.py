"""`python -m seqviz.deploy --replicas N [--port 8501] [--address 0.0.0.0] [-- server options]`
(`make serve REPLICAS=N`): N app servers and Debian's nginx in front of them, with websocket proxying and
cookie affinity (seqviz/deploy/nginx.py), until Ctrl-C. A replica that stops is started again."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from .servers import deployment, wait_healthy


def parse_args(argv=None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="python -m seqviz.deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="app servers behind nginx (one per core or two)")
    parser.add_argument("--port", type=int, default=8501, help="the port browsers open")
    parser.add_argument("--address", default="0.0.0.0", help="where nginx listens (0.0.0.0: the whole network)")
    parser.add_argument("--logs", type=Path, default=Path("artifacts/serve"), help="a log per replica here")
    return parser.parse_known_args(argv)  # the rest goes to every server (--shared, Streamlit's options)


def main(argv=None) -> int:
    args, server_args = parse_args(argv)
    if args.replicas < 1:
        print("seqviz.deploy: at least one replica", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a stopped service stops its replicas too
    try:
        with deployment(args.replicas, args.port, args.address, tuple(server_args), logs=args.logs) as served:
            print(
                f"seqviz: {args.replicas} replica{'s' if args.replicas > 1 else ''} (ports "
                f"{', '.join(str(r.port) for r in served.replicas)}, logs in {args.logs}) behind nginx on "
                f"http://{args.address}:{args.port}; Ctrl-C stops them",
                flush=True,
            )
            while True:
                time.sleep(2)
                for replica in served.replicas:
                    if not replica.running():
                        print(f"seqviz: the replica on port {replica.port} stopped; starting it again", flush=True)
                        replica.start()
                        wait_healthy(replica.url, 180, replica.process)
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(f"seqviz.deploy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
