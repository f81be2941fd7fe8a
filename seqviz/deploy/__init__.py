"""Serving seqviz to a school: app servers (servers.py) and Debian's nginx in front of replicas (nginx.py);
`python -m seqviz.deploy --replicas N` (`make serve REPLICAS=N`) starts them from one command."""
