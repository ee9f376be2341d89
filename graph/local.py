"""A local Neo4j Community server: jars resolved by Maven, data under the project data directory.

The server is Neo4j's own community entry point (``org.neo4j.server.CommunityEntryPoint``)
run on the JVM with the classpath Maven resolves from ``graph/neo4j/pom.xml``: the real
database, with no distribution tarball to unpack and no Java code of ours to compile.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import neo4j
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from graph.errors import LocalNeo4jError, Neo4jNotRunningError, PortInUseError, ResolveError

__all__ = ["POM", "LocalNeo4j", "LocalStatus", "StartResult"]

POM = Path(__file__).with_name("neo4j") / "pom.xml"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
HOST = "127.0.0.1"
DEFAULT_PASSWORD = "neo4j"  # Neo4j's own initial password, changed on first start
START_TIMEOUT_S = 180.0

# JVM options Neo4j's launcher script would pass; without the opens the page cache falls
# back to a slower mode.
JVM_OPTS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)

Progress = Callable[[str], None]

# Servers started by this process, kept referenced: the server outlives the call that
# started it, and a collected Popen of a live child warns; stop() reaps through it.
_STARTED: dict[int, subprocess.Popen[bytes]] = {}


def _noop(_: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class StartResult:
    uri: str
    version: str
    seconds: float
    already_running: bool
    resolved: bool  # Maven was asked for jars during this start


@dataclass(frozen=True, slots=True)
class LocalStatus:
    running: bool
    uri: str
    pid: int | None
    version: str | None
    data_bytes: int
    home: str

    def as_dict(self) -> dict[str, object]:
        return {
            "running": self.running,
            "uri": self.uri,
            "pid": self.pid,
            "version": self.version,
            "data_bytes": self.data_bytes,
            "home": self.home,
        }


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers signal 0; reap it if it is ours, through its Popen when
    # this process started it (reaped behind Popen's back, it warns "still running" when
    # collected).
    proc = _STARTED.get(pid)
    if proc is not None:
        if proc.poll() is None:
            return True
        del _STARTED[pid]
        return False
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    return True


def _dir_size(path: Path) -> int:
    total = 0
    for p in path.rglob("*"):
        with contextlib.suppress(OSError):
            if p.is_file() and not p.is_symlink():
                total += p.stat().st_size
    return total


class LocalNeo4j:
    """The local server under ``home`` (``<data dir>/neo4j``), listening on 127.0.0.1:``port``."""

    def __init__(
        self,
        home: Path,
        port: int = 7687,
        *,
        heap: str = "1g",
        pagecache: str = "512m",
        java_home: Path | None = None,
        mvn: str | None = None,
    ) -> None:
        self.home = home.resolve()
        self.port = port
        self.heap = heap
        self.pagecache = pagecache
        self._java_home = java_home
        self._mvn = mvn

    # -- files -------------------------------------------------------------------------------

    @property
    def uri(self) -> str:
        return f"bolt://{HOST}:{self.port}"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def classpath_file(self) -> Path:
        return self.home / "lib" / "classpath.txt"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    def private_dirs(self) -> None:
        """Make the server's home and its store readable by this user only (mode 700): Neo4j
        writes its store files 644, so the directories are what keeps other local users out."""
        for path in (self.home, self.home / "data"):
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.chmod(0o700)

    def password(self) -> str:
        """The server's password, generated once and kept in a file only its owner can read."""
        path = self.password_file
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.private_dirs()
        value = secrets.token_urlsafe(24)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(value + "\n")
        return value

    def _pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) else None

    # -- resolve -----------------------------------------------------------------------------

    def _tool(self, name: str, explicit: str | None) -> str:
        if explicit:
            return explicit
        if name == "java" and self._java_home:
            candidate = self._java_home / "bin" / "java"
            if candidate.exists():
                return str(candidate)
        found = shutil.which(name)
        if not found:
            raise LocalNeo4jError(
                f"{name!r} is not on PATH; install it (Java 17+ and Maven run the local Neo4j) "
                f"or set NEO4J_URI to use an existing server"
            )
        return found

    def _classpath_valid(self, pom_sha: str) -> list[str] | None:
        try:
            stored = json.loads(self.classpath_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        jars = stored.get("jars") if stored.get("pom_sha256") == pom_sha else None
        if not jars or not all(Path(j).exists() for j in jars):
            return None
        return list(jars)

    def resolve(self, on_progress: Progress = _noop) -> tuple[list[str], bool]:
        """Return the server classpath, asking Maven only when the cached one is stale.

        The second value says whether Maven ran. A cached classpath whose jars are all in
        the local Maven repository needs no network.
        """
        pom_sha = hashlib.sha256(POM.read_bytes()).hexdigest()
        cached = self._classpath_valid(pom_sha)
        if cached:
            return cached, False
        self.classpath_file.parent.mkdir(parents=True, exist_ok=True)
        out = self.classpath_file.with_suffix(".mvn.txt")
        cmd = [
            self._tool("mvn", self._mvn),
            "-B",
            "-f",
            str(POM),
            "dependency:build-classpath",
            f"-Dmdep.outputFile={out}",
        ]
        on_progress("resolving Neo4j jars with Maven")
        tail: list[str] = []
        with subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8"
        ) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                line = line.rstrip()
                tail = [*tail[-30:], line]
                if "Downloaded from" in line or "Downloading from" in line:
                    on_progress(line.split(": ", 1)[-1].rsplit("/", 1)[-1])
            code = proc.wait()
        if code != 0:
            raise ResolveError(
                f"Maven could not resolve Neo4j's jars from {POM} (exit {code}); check that "
                f"Maven Central is reachable. Last lines:\n" + "\n".join(tail[-12:])
            )
        jars = [j for j in out.read_text(encoding="utf-8").strip().split(os.pathsep) if j]
        self.classpath_file.write_text(
            json.dumps({"pom_sha256": pom_sha, "jars": jars}, indent=1), encoding="utf-8"
        )
        out.unlink(missing_ok=True)
        return jars, True

    # -- configuration -----------------------------------------------------------------------

    def _write_conf(self) -> Path:
        self.private_dirs()
        conf_dir = self.home / "conf"
        conf_dir.mkdir(parents=True, exist_ok=True)
        settings = {
            "server.directories.data": self.home / "data",
            "server.directories.logs": self.home / "logs",
            "server.directories.run": self.home / "run",
            "server.directories.import": self.home / "import",
            "server.directories.plugins": self.home / "plugins",
            "server.directories.transaction.logs.root": self.home / "data" / "transactions",
            "server.default_listen_address": HOST,
            "server.bolt.enabled": "true",
            "server.bolt.listen_address": f"{HOST}:{self.port}",
            "server.bolt.advertised_address": f"{HOST}:{self.port}",
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "dbms.usage_report.enabled": "false",
            "server.memory.pagecache.size": self.pagecache,
            "server.memory.heap.max_size": self.heap,
            # LOAD CSV (bench) reads only from the import directory.
            "dbms.security.allow_csv_import_from_file_urls": "true",
            "db.tx_log.rotation.retention_policy": "2 days 2G",
            # Preallocated 256 MiB log files make a small store look huge; grow on demand.
            "db.tx_log.preallocate": "false",
            "db.tx_log.rotation.size": "64M",
        }
        path = conf_dir / "neo4j.conf"
        path.write_text(
            "# Written by `innograph neo4j start` on every start; edit the CLI, not this file.\n"
            + "".join(f"{k}={v}\n" for k, v in settings.items()),
            encoding="utf-8",
        )
        for sub in ("data", "logs", "run", "import", "plugins"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        return conf_dir

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, on_progress: Progress = _noop, timeout: float = START_TIMEOUT_S) -> StartResult:
        t0 = time.monotonic()
        pid = self._pid()
        if pid is not None:
            return StartResult(self.uri, self._version(), 0.0, True, False)
        if not _port_free(self.port):
            raise PortInUseError(HOST, self.port)
        jars, resolved = self.resolve(on_progress)
        conf_dir = self._write_conf()
        java = self._tool("java", None)
        cmd = [
            java,
            f"-Xmx{self.heap}",
            f"-Xms{self.heap}",
            *JVM_OPTS,
            "-cp",
            os.pathsep.join(jars),
            ENTRY_POINT,
            f"--home-dir={self.home}",
            f"--config-dir={conf_dir}",
        ]
        on_progress(f"starting Neo4j on {self.uri}")
        log = self.console_log.open("ab")
        # A new session so that Ctrl-C in the CLI does not kill the server it started.
        proc = subprocess.Popen(
            cmd,
            cwd=self.home,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        _STARTED[proc.pid] = proc
        self.pid_file.write_text(str(proc.pid))
        try:
            self._wait_ready(proc, timeout)
            self._ensure_password()
            version = self._version()
        except BaseException:
            self._terminate(proc.pid, 30)
            raise
        return StartResult(self.uri, version, time.monotonic() - t0, False, resolved)

    def _wait_ready(self, proc: subprocess.Popen[bytes], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = proc.poll()
            if code is not None:
                raise LocalNeo4jError(
                    f"Neo4j exited with code {code} while starting; see {self.console_log} "
                    f"and {self.home / 'logs' / 'neo4j.log'}:\n{self._log_tail()}"
                )
            if _port_open(self.port) and "Started." in self._log_tail(4000):
                return
            time.sleep(0.25)
        raise LocalNeo4jError(
            f"Neo4j did not open {self.uri} within {timeout:.0f}s; see {self.home / 'logs'}"
        )

    def _log_tail(self, size: int = 2000) -> str:
        parts = []
        for path in (self.home / "logs" / "neo4j.log", self.console_log):
            with contextlib.suppress(OSError), path.open("rb") as f:
                f.seek(max(0, path.stat().st_size - size))
                parts.append(f.read().decode("utf-8", "replace"))
        return "\n".join(parts)

    def _ensure_password(self) -> None:
        """On a new store, replace Neo4j's initial password with the generated one."""
        password = self.password()
        try:
            with neo4j.GraphDatabase.driver(self.uri, auth=("neo4j", password)) as d:
                d.verify_connectivity()
            return
        except AuthError:
            pass
        with neo4j.GraphDatabase.driver(self.uri, auth=("neo4j", DEFAULT_PASSWORD)) as d:
            try:
                d.execute_query(
                    "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                    old=DEFAULT_PASSWORD,
                    new=password,
                    database_="system",
                )
            except (AuthError, Neo4jError) as e:
                raise LocalNeo4jError(
                    f"the local Neo4j in {self.home} rejects the password in {self.password_file}; "
                    f"restore that file, or remove {self.home / 'data'} to start a new store"
                ) from e

    def _version(self) -> str:
        with neo4j.GraphDatabase.driver(self.uri, auth=("neo4j", self.password())) as d:
            records, _, _ = d.execute_query(
                "CALL dbms.components() YIELD versions RETURN versions[0] AS v", database_="system"
            )
        return str(records[0]["v"])

    def _terminate(self, pid: int, timeout: float) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc = _STARTED.pop(pid, None)
        if proc is not None:
            proc.wait(timeout)
        self.pid_file.unlink(missing_ok=True)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, Neo4j checkpoints); False when it was not running."""
        pid = self._pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        self._terminate(pid, timeout)
        return True

    def status(self) -> LocalStatus:
        pid = self._pid()
        version = None
        if pid is not None:
            with contextlib.suppress(ServiceUnavailable, AuthError, Neo4jError, OSError):
                version = self._version()
        data = self.home / "data"
        return LocalStatus(
            running=pid is not None and version is not None,
            uri=self.uri,
            pid=pid,
            version=version,
            data_bytes=_dir_size(data) if data.exists() else 0,
            home=str(self.home),
        )

    def require_running(self) -> None:
        if self._pid() is None:
            raise Neo4jNotRunningError(
                f"the local Neo4j in {self.home} is not running; "
                "start it with `innograph neo4j start`"
            )
