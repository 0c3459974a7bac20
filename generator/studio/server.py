"""Serving the studio: a socket on 127.0.0.1 only (never another interface: the studio reads
and writes the project's files), opened before uvicorn starts so that a port in use is said
plainly, and uvicorn run on it until Ctrl+C."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

from ..errors import HandoutsError

HOST = "127.0.0.1"


def listen(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:`port` (0: a free port), or a HandoutsError that says
    which port to try instead."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno in (errno.EADDRINUSE, errno.EACCES):
            taken = "is taken" if error.errno == errno.EADDRINUSE else "is not allowed here"
            raise HandoutsError(f"port {port} {taken}: try `--port {port + 1}`") from None
        raise HandoutsError(f"cannot listen on {HOST}:{port}: {error.strerror}") from None
    sock.set_inheritable(True)
    return sock


def serve(project: Path, sock: socket.socket) -> None:
    """Run the studio of `project` on `sock` until Ctrl+C (uvicorn stops cleanly then)."""
    import uvicorn

    from . import preview
    from .app import Studio, create_app

    studio = Studio(project=project, port=sock.getsockname()[1])
    app = create_app(studio)
    preview.start(app)  # from the main thread: its workers ignore Ctrl+C, and start warm
    config = uvicorn.Config(app, log_level="warning", access_log=False,
                            server_header=False, lifespan="off")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn raises the signal again once it has stopped
        pass
    finally:
        preview.close(app)
        sock.close()
