#!/usr/bin/python3
"""A Modbus TCP server on pymodbus (Debian's python3-pymodbus) that serves a register image the test
sends, with faults the test switches on. It speaks on stdin/stdout, one line per command and one line
per answer ("ok ..." or "error ..."); the first line it prints is "port N".

Commands:
  image ADDR W...        the holding registers are exactly these from ADDR (every other address refuses)
  image-on-reconnect ADDR W...   the same, applied when the next client connects
  set ADDR W...          set (and map) registers
  get ADDR COUNT         -> "ok W..."
  holes ADDR COUNT       these addresses refuse reads (illegal data address), as unused registers do
  drop N                 the next N replies are not sent
  garble N               the next N replies are replaced by bytes of no Modbus frame
  wrongtid N             the next N replies carry another transaction id
  refuse N CODE          the next N replies are exception CODE
  refuse-writes N CODE   the next N replies to writes (functions 6 and 16) are exception CODE
  delay MS               every reply waits MS milliseconds
  disconnect             close every client connection
  stats                  -> "ok requests R errors E connections C"
  quit
"""
import asyncio
import os
import sys
import threading
import time

from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext
from pymodbus.datastore.store import BaseModbusDataBlock
from pymodbus.pdu import ExceptionResponse
from pymodbus.server.async_io import ModbusConnectedRequestHandler, ModbusTcpServer


class MappedBlock(BaseModbusDataBlock):
    """Registers that exist only where the image put them; a read touching any other address is refused."""

    def __init__(self):
        self.values = {}
        self.default_value = 0
        self.address = 0

    def validate(self, address, count=1):
        return all(a in self.values for a in range(address, address + count))

    def getValues(self, address, count=1):
        return [self.values[a] for a in range(address, address + count)]

    def setValues(self, address, values):
        if not isinstance(values, list):
            values = [values]
        for i, v in enumerate(values):
            self.values[address + i] = v & 0xFFFF

    def replace(self, address, words):
        self.values = {address + i: w & 0xFFFF for i, w in enumerate(words)}


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.drop = 0
        self.garble = 0
        self.wrongtid = 0
        self.refuse = 0
        self.refuse_code = 4
        self.refuse_writes = 0
        self.refuse_writes_code = 4
        self.delay = 0.0
        self.requests = 0
        self.errors = 0
        self.connections = 0
        self.staged = None


holding = MappedBlock()
faults = Faults()
EMPTY = MappedBlock()
context = ModbusServerContext(slaves=ModbusSlaveContext(hr=holding, ir=EMPTY, co=EMPTY, di=EMPTY, zero_mode=True),
                              single=True)


def manipulate(response):
    """Runs for every reply: counts it and applies the fault switched on."""
    with faults.lock:
        faults.requests += 1
        delay = faults.delay
        if faults.drop > 0:
            faults.drop -= 1
            action = "drop"
        elif faults.garble > 0:
            faults.garble -= 1
            action = "garble"
        elif faults.wrongtid > 0:
            faults.wrongtid -= 1
            action = "wrongtid"
        elif faults.refuse > 0:
            faults.refuse -= 1
            action = "refuse"
        else:
            action = None
    if delay > 0:
        time.sleep(delay)  # blocks the server as a slow device would
    if action == "drop":
        return b"", True
    if action == "garble":
        return os.urandom(5) + b"\xff\xff\xff\xff", True
    if action == "wrongtid":
        response.transaction_id = (response.transaction_id + 1) & 0xFFFF
    if action == "refuse":
        refused = ExceptionResponse(response.function_code & 0x7F, faults.refuse_code)
        refused.transaction_id = response.transaction_id
        refused.unit_id = response.unit_id
        response = refused
    if response.isError():
        with faults.lock:
            faults.errors += 1
    return response, False


class Handler(ModbusConnectedRequestHandler):
    def connection_made(self, transport):
        with faults.lock:
            faults.connections += 1
            staged, faults.staged = faults.staged, None
        if staged is not None:
            holding.replace(*staged)
        super().connection_made(transport)

    def execute(self, request, *addr):
        """A refused write is answered with the exception and not carried out, as a busy device does."""
        with faults.lock:
            refuse = faults.refuse_writes > 0 and request.function_code in (6, 16)
            if refuse:
                faults.refuse_writes -= 1
                faults.requests += 1
                faults.errors += 1
        if not refuse:
            super().execute(request, *addr)
            return
        refused = request.doException(faults.refuse_writes_code)
        refused.transaction_id = request.transaction_id
        refused.unit_id = request.unit_id
        self.send(refused, *addr)


def words(args):
    return [int(a, 0) for a in args]


def command(line, loop, server):
    parts = line.split()
    if not parts:
        return "error empty command"
    name, args = parts[0], parts[1:]
    if name == "image":
        holding.replace(int(args[0], 0), words(args[1:]))
    elif name == "image-on-reconnect":
        with faults.lock:
            faults.staged = (int(args[0], 0), words(args[1:]))
    elif name == "set":
        holding.setValues(int(args[0], 0), words(args[1:]))
    elif name == "get":
        a, n = int(args[0], 0), int(args[1], 0)
        return "ok " + " ".join(str(holding.values.get(x, -1)) for x in range(a, a + n))
    elif name == "holes":
        a, n = int(args[0], 0), int(args[1], 0)
        for x in range(a, a + n):
            holding.values.pop(x, None)
    elif name in ("drop", "garble", "wrongtid"):
        with faults.lock:
            setattr(faults, name, int(args[0]))
    elif name == "refuse":
        with faults.lock:
            faults.refuse, faults.refuse_code = int(args[0]), int(args[1])
    elif name == "refuse-writes":
        with faults.lock:
            faults.refuse_writes, faults.refuse_writes_code = int(args[0]), int(args[1])
    elif name == "delay":
        with faults.lock:
            faults.delay = int(args[0]) / 1000.0
    elif name == "disconnect":
        done = threading.Event()

        def close_all():
            for handler in list(server.active_connections.values()):
                handler.transport.close()
            done.set()

        loop.call_soon_threadsafe(close_all)
        done.wait(5)
    elif name == "stats":
        with faults.lock:
            return f"ok requests {faults.requests} errors {faults.errors} connections {faults.connections}"
    elif name == "quit":
        loop.call_soon_threadsafe(loop.stop)
    else:
        return "error unknown command " + name
    return "ok"


def control(loop, server):
    for line in sys.stdin:
        try:
            answer = command(line.strip(), loop, server)
        except Exception as e:  # a bad command is answered, the server keeps serving
            answer = f"error {type(e).__name__}: {e}"
        print(answer, flush=True)
        if line.strip() == "quit":
            return
    loop.call_soon_threadsafe(loop.stop)  # the test went away


def main():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = ModbusTcpServer(context, address=("127.0.0.1", 0), handler=Handler, loop=loop,
                             allow_reuse_address=True, response_manipulator=manipulate)
    task = loop.create_task(server.serve_forever())
    loop.run_until_complete(server.serving)
    port = server.server.sockets[0].getsockname()[1]
    print(f"port {port}", flush=True)
    threading.Thread(target=control, args=(loop, server), daemon=True).start()
    try:
        loop.run_forever()
    finally:
        task.cancel()


if __name__ == "__main__":
    main()
