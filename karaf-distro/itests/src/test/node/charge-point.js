#!/usr/bin/env node
// OCPP 1.6J charge points played by ocpp-rpc (an implementation Fusebox did not write) in strict
// JSON-schema mode, driven by a Java test over stdin/stdout, one JSON object a line.
//
// Commands (stdin), each with "ref" (echoed in its "done" event) and "cp" (the charge point id):
//   {"cmd":"connect","endpoint":"ws://127.0.0.1:8887/ocpp"}   opens the WebSocket (subprotocol ocpp1.6)
//   {"cmd":"call","action":"Heartbeat","payload":{}}          any OCPP call; "done" carries the answer
//   {"cmd":"boot"} {"cmd":"status","connectorId":1,"status":"Charging"} {"cmd":"startTransaction",...}
//   {"cmd":"meterValues",...} {"cmd":"stopTransaction",...}  the usual calls, payload fields inline
//   {"cmd":"reboot"}        drops the socket, connects again and sends BootNotification (as a charger whose
//                           controller restarts while its power electronics keep charging)
//   {"cmd":"sendRaw","text":"..."} or {"cmd":"sendRaw","dataTransferBytes":33554432}
//                           a frame sent as is (no schema check), or a DataTransfer with that much data
//   {"cmd":"close"}         closes the socket
//   {"cmd":"answer","action":"SetChargingProfile","status":"Rejected"}  how to answer a call from now on
// Events (stdout):
//   {"event":"done","ref":..,"ok":true,"payload":{..}} / {"event":"done","ref":..,"ok":false,"error":".."}
//   {"event":"received","cp":..,"action":..,"payload":{..}}   every call of the central system
//   {"event":"violation","cp":..,"method":..,"outbound":false,"error":".."}   strict-mode schema failure:
//                           what the central system sent (outbound=false) breaks the OCPP 1.6 schemas
//   {"event":"badMessage",..} {"event":"open",..} {"event":"close","cp":..,"code":1009,"reason":".."}
'use strict';

const readline = require('readline');
const { RPCClient } = require('ocpp-rpc');

const points = new Map();

function emit(event) {
    process.stdout.write(JSON.stringify(event) + '\n');
}

// Answers a charger with factory behaviour gives; "answer" commands override the status per action.
const DEFAULT_ANSWERS = {
    SetChargingProfile: { status: 'Accepted' },
    ClearChargingProfile: { status: 'Accepted' },
    ChangeConfiguration: { status: 'Accepted' },
    TriggerMessage: { status: 'Accepted' },
    ChangeAvailability: { status: 'Accepted' },
    RemoteStartTransaction: { status: 'Rejected' },
    RemoteStopTransaction: { status: 'Rejected' },
    Reset: { status: 'Rejected' },
    UnlockConnector: { status: 'NotSupported' },
    DataTransfer: { status: 'UnknownVendorId' },
};

function answerFor(point, action, params) {
    if (action === 'GetConfiguration') {
        return {
            configurationKey: [
                { key: 'MeterValuesSampledData', readonly: false, value: 'Energy.Active.Import.Register,Current.Import,Power.Active.Import' },
                { key: 'MeterValueSampleInterval', readonly: false, value: '10' },
                { key: 'NumberOfConnectors', readonly: true, value: '1' },
            ],
            unknownKey: (params.key || []).filter(k => !['MeterValuesSampledData', 'MeterValueSampleInterval', 'NumberOfConnectors'].includes(k)),
        };
    }
    if (action === 'GetCompositeSchedule') {
        return { status: 'Rejected' };
    }
    const status = point.answers[action];
    if (status) {
        return { status };
    }
    return DEFAULT_ANSWERS[action];
}

function pointFor(id) {
    let point = points.get(id);
    if (!point) {
        point = { id, client: null, endpoint: null, answers: {} };
        points.set(id, point);
    }
    return point;
}

function newClient(point) {
    const client = new RPCClient({
        endpoint: point.endpoint,
        identity: point.id,
        protocols: ['ocpp1.6'],
        strictMode: true,
        reconnect: false,          // the test decides when a charger comes back
        callTimeoutMs: 30000,
        pingIntervalMs: 10000,
    });
    client.on('strictValidationFailure', f => emit({
        event: 'violation', cp: point.id, method: f.method, outbound: f.outbound, isCall: f.isCall,
        error: String(f.error && f.error.message || f.error), details: f.error && f.error.details || null,
        params: f.isCall ? f.params : undefined, result: f.isCall ? undefined : f.result,
    }));
    client.on('badMessage', b => emit({
        event: 'badMessage', cp: point.id, error: String(b.error && b.error.message || b.error),
        message: String(b.buffer).slice(0, 2000),
    }));
    client.on('open', () => emit({ event: 'open', cp: point.id }));
    client.on('close', c => emit({ event: 'close', cp: point.id, code: c.code, reason: String(c.reason || '') }));
    client.handle(({ method, params }) => {
        emit({ event: 'received', cp: point.id, action: method, payload: params });
        const answer = answerFor(point, method, params || {});
        if (answer === undefined) {
            const err = new Error(`${method} is not implemented by this charge point`);
            err.rpcErrorCode = 'NotImplemented';
            throw err;
        }
        return answer;
    });
    return client;
}

async function connect(point) {
    point.client = newClient(point);
    await point.client.connect();
}

function inline(command, fields) {
    const payload = {};
    for (const f of fields) {
        if (command[f] !== undefined) {
            payload[f] = command[f];
        }
    }
    return payload;
}

const CALLS = {
    boot: ['BootNotification', ['chargePointVendor', 'chargePointModel', 'chargePointSerialNumber', 'firmwareVersion'],
        { chargePointVendor: 'ocpp-rpc', chargePointModel: 'itest-peer' }],
    status: ['StatusNotification', ['connectorId', 'errorCode', 'status', 'timestamp', 'info'], { errorCode: 'NoError' }],
    startTransaction: ['StartTransaction', ['connectorId', 'idTag', 'meterStart', 'timestamp', 'reservationId'], {}],
    meterValues: ['MeterValues', ['connectorId', 'transactionId', 'meterValue'], {}],
    stopTransaction: ['StopTransaction', ['transactionId', 'meterStop', 'timestamp', 'reason', 'idTag', 'transactionData'], {}],
    heartbeat: ['Heartbeat', [], {}],
};

async function run(command) {
    const point = pointFor(command.cp);
    switch (command.cmd) {
        case 'connect':
            point.endpoint = command.endpoint;
            await connect(point);
            return {};
        case 'call':
            return await point.client.call(command.action, command.payload || {});
        case 'reboot': {
            // the controller restarts: no closing handshake, then a new connection and a boot
            await point.client.close({ code: 1001, reason: 'rebooting', force: true, awaitPending: false });
            await connect(point);
            const [action, fields, defaults] = CALLS.boot;
            return await point.client.call(action, Object.assign({}, defaults, inline(command, fields)));
        }
        case 'sendRaw': {
            let text = command.text;
            if (command.dataTransferBytes) {
                text = JSON.stringify([2, 'big-' + Date.now(), 'DataTransfer',
                    { vendorId: 'org.fusebox.itest', data: 'x'.repeat(command.dataTransferBytes) }]);
            }
            point.client.sendRaw(text);
            return { bytes: Buffer.byteLength(text) };
        }
        case 'close':
            if (point.client) {
                await point.client.close({ code: 1000, reason: 'test done', force: true, awaitPending: false });
            }
            return {};
        case 'answer':
            point.answers[command.action] = command.status;
            return {};
        default: {
            const call = CALLS[command.cmd];
            if (!call) {
                throw new Error('unknown command ' + command.cmd);
            }
            const [action, fields, defaults] = call;
            return await point.client.call(action, Object.assign({}, defaults, inline(command, fields)));
        }
    }
}

const input = readline.createInterface({ input: process.stdin });
input.on('line', line => {
    if (!line.trim()) {
        return;
    }
    let command;
    try {
        command = JSON.parse(line);
    } catch (e) {
        emit({ event: 'done', ref: null, ok: false, error: 'unreadable command: ' + e.message });
        return;
    }
    run(command).then(
        payload => emit({ event: 'done', ref: command.ref, ok: true, payload }),
        error => emit({ event: 'done', ref: command.ref, ok: false, error: String(error && error.message || error),
            code: error && error.rpcErrorCode || null }));
});
// the test ended (stdin closed): close every socket and leave
input.on('close', async () => {
    for (const point of points.values()) {
        if (point.client) {
            await point.client.close({ force: true, awaitPending: false }).catch(() => {});
        }
    }
    process.exit(0);
});
emit({ event: 'ready', node: process.version, ocppRpc: require('ocpp-rpc/package.json').version });
