"""Row (j): Mastodon.py's stream_public with a StreamListener, as a user writes it.

The Python twin of throughput-client.mjs, driven over stdin/stdout instead of
Node's IPC: the orchestrator writes a status count per line, this process
reads that many statuses, then prints the wall and CPU time they took. While
it waits for the next line it is blocked inside on_update, so Mastodon.py
stops reading and the server is held back by backpressure, as for every row.
"""
import json
import resource
import sys
import time
from importlib.metadata import version

from mastodon import Mastodon, StreamListener

TAG = '@@bench-message '
config = json.loads(sys.argv[1])


def send(message):
    sys.stdout.write(TAG + json.dumps(message) + '\n')
    sys.stdout.flush()


def next_slice():
    line = sys.stdin.readline()
    return int(line) if line.strip() else 0


class Stop(Exception):
    """Raised from on_update to end stream_public once the orchestrator says 0."""


class CountingListener(StreamListener):
    def __init__(self):
        super().__init__()
        self.remaining = 0
        self.started = 0.0
        self.cpu_started = 0.0
        self.last = None
        self.anomalies = 0
        self.errors = []

    def start(self, statuses):
        self.remaining = statuses
        self.cpu_started = time.process_time()
        self.started = time.perf_counter()

    def on_update(self, status):
        # Mastodon.py turns string ids into ints; the bench's ids are '11' + the sequence number.
        sequence = int(str(status['id'])[2:])
        if self.last is not None and sequence != self.last + 1:
            self.anomalies += 1
        self.last = sequence
        self.remaining -= 1
        if self.remaining > 0:
            return
        send({'seconds': time.perf_counter() - self.started, 'cpuMicros': (time.process_time() - self.cpu_started) * 1e6})
        statuses = next_slice()
        if statuses == 0:
            raise Stop()
        self.start(statuses)

    def on_abort(self, err):
        self.errors.append(repr(err))


listener = CountingListener()
send({'ready': True, 'version': version('Mastodon.py')})
first = next_slice()
if first > 0:
    mastodon = Mastodon(access_token=config['token'], api_base_url=config['baseUrl'])
    listener.start(first)
    try:
        mastodon.stream_public(listener)
        listener.errors.append('stream_public returned: the stream ended before the run did')
    except Stop:
        pass
send({
    'done': True,
    'peakRss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    'sequenceAnomalies': listener.anomalies,
    'coreErrors': listener.errors[:3],
    'coreErrorCount': len(listener.errors),
    'carriedOver': 0,
})
