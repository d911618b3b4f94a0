"""`rasd serve` as a team runs it: several API processes over one database, and a worker.

A real server in a subprocess: the processes share the listening socket, each opens its own
connections, and the worker it starts extracts uploads at a lower CPU priority than queries.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import psutil

from servers import rasd_server

REPORT = "قتل 4 مدنيين في قصف على بلدة صغيرة قرب حلب يوم 6 آذار/مارس 2020."


def test_two_api_processes_answer_and_the_worker_yields_the_cpu(
    tmp_path: Path, artifacts: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'rasd.db'}"
    log = artifacts / "serve-processes.log"
    with rasd_server(url, log, "--no-auth", "--processes", "2", "--upload-rate", "0") as served:
        children = psutil.Process(served.process.pid).children(recursive=True)
        workers = [c for c in children if "worker" in c.cmdline()]
        answering = [c for c in children if "spawn_main" in " ".join(c.cmdline())]
        assert [w.nice() for w in workers] == [10]
        assert len(answering) == 2

        with httpx.Client(base_url=served.base_url, timeout=30) as http:
            queued = http.post(
                "/api/documents",
                content=REPORT.encode(),
                headers={"content-type": "text/plain; charset=utf-8"},
            )
            assert queued.status_code == 202
            status = queued.json()
            deadline = time.monotonic() + 60
            while status["status"] in ("queued", "working") and time.monotonic() < deadline:
                time.sleep(0.2)
                status = http.get(status["status_url"]).json()
            assert status["status"] == "done", status

            # Every request, whichever process takes it, sees the worker's commit.
            for _ in range(10):
                found = http.get("/api/events", params={"document_id": status["id"]}).json()
                assert found["total"] == status["events"] >= 1
