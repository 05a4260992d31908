"""Drive a command on a pseudo-terminal: wait for each expected text, then type the answer.

usage: pty_drive.py JSON   where JSON = {"argv": [...], "env": {...}, "steps": [[expect, send], ...]}
Prints everything the command wrote to the terminal, then exits with the command's exit code.
Each wait times out after 10 s (exit 124), so a test never hangs.
"""
import json, os, pty, select, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    env = dict(os.environ); env.update(spec.get("env", {}))
    os.execvpe(spec["argv"][0], spec["argv"], env)

seen = b""
def read_some(deadline):
    global seen
    r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
    if not r:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return None
    if not chunk:
        return None
    seen += chunk
    return True

pos = 0
for expect, send in spec["steps"]:
    deadline = time.time() + 10
    want = expect.encode()
    while seen.find(want, pos) < 0:
        got = read_some(deadline)
        if got is None or (got is False and time.time() >= deadline):
            sys.stdout.write(seen.decode(errors="replace"))
            sys.stdout.write("\n[pty_drive: timed out waiting for %r]\n" % expect)
            os.kill(pid, 9); sys.exit(124)
    pos = seen.find(want, pos) + len(want)
    time.sleep(0.05)
    os.write(fd, send.encode() + b"\r")

deadline = time.time() + 10
while read_some(deadline) and time.time() < deadline:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
