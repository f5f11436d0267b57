"""A python grpcio client calling ballast.test.v1.EchoService, for interop tests of our C# server.

Usage: /usr/bin/python3 echo_client.py DESCRIPTOR_FILE 127.0.0.1:PORT SCENARIO [CALL_ID]
Checks the outcome itself; prints "OK <scenario>" and exits 0, or raises (traceback on stderr, exit 1).
"""
import queue
import sys

import grpc

import echo_messages

EchoRequest, EchoReply = echo_messages.load(sys.argv[1])
TARGET = sys.argv[2]
SCENARIO = sys.argv[3]
CALL_ID = sys.argv[4] if len(sys.argv) > 4 else "python"
TIMEOUT = 15


def method(channel, kind, name):
    factory = getattr(channel, kind)
    return factory("/%s/%s" % (echo_messages.SERVICE, name),
                   request_serializer=EchoRequest.SerializeToString,
                   response_deserializer=EchoReply.FromString)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def unary(channel):
    reply = method(channel, "unary_unary", "Unary")(EchoRequest(text="hi", payload=b"\x00\xff"), timeout=TIMEOUT)
    expect(reply.text == "hi" and reply.payload == b"\x00\xff", "unary reply %r" % reply)


def server_stream(channel):
    replies = list(method(channel, "unary_stream", "ServerStream")(EchoRequest(text="s", count=5), timeout=TIMEOUT))
    expect([r.text for r in replies] == ["s-%d" % i for i in range(5)], "server stream %r" % replies)


def client_stream(channel):
    requests = iter([EchoRequest(text=t) for t in ("a", "b", "c")])
    reply = method(channel, "stream_unary", "ClientStream")(requests, timeout=TIMEOUT)
    expect(reply.text == "a,b,c" and reply.index == 3, "client stream %r" % reply)


def bidi(channel):
    # Lock-step: each request is sent only after the previous reply arrived (proves per-message flushing).
    outgoing = queue.Queue()

    def requests():
        while True:
            item = outgoing.get()
            if item is None:
                return
            yield item

    call = method(channel, "stream_stream", "Bidi")(requests(), timeout=TIMEOUT)
    for i in range(5):
        outgoing.put(EchoRequest(text="m%d" % i))
        reply = next(call)
        expect(reply.text == "m%d" % i and reply.index == i, "bidi reply %r" % reply)
    outgoing.put(None)
    expect(list(call) == [], "bidi: no more replies")
    expect(call.code() == grpc.StatusCode.OK, "bidi status %s" % call.code())
    expect(("x-trailer", "done") in call.trailing_metadata(), "bidi trailers %r" % (call.trailing_metadata(),))


def metadata(channel):
    sent = (("x-custom", "value 1"), ("x-data-bin", b"\x00\x01\xfe\xff"))
    reply, call = method(channel, "unary_unary", "Unary").with_call(EchoRequest(text="md"), metadata=sent, timeout=TIMEOUT)
    initial = dict(call.initial_metadata())
    expect(initial.get("x-custom") == "value 1", "initial metadata %r" % (initial,))
    expect(initial.get("x-data-bin") == b"\x00\x01\xfe\xff", "binary initial metadata %r" % (initial,))
    expect(dict(call.trailing_metadata()).get("x-trailer") == "done", "trailers %r" % (call.trailing_metadata(),))


def error(channel):
    detail = "not you: 100% \u2713"
    try:
        method(channel, "unary_unary", "Unary")(EchoRequest(fail_code=7, fail_message=detail), timeout=TIMEOUT)
    except grpc.RpcError as e:
        expect(e.code() == grpc.StatusCode.PERMISSION_DENIED, "code %s" % e.code())
        expect(e.details() == detail, "details %r" % e.details())
        trailers = dict(e.trailing_metadata())
        expect(trailers.get("x-trailer") == "failed", "error trailers %r" % (trailers,))
        expect(trailers.get("x-error-bin") == b"\x00\x01\x02\xff", "binary error trailer %r" % (trailers,))
        return
    raise AssertionError("no error")


def unimplemented(channel):
    try:
        method(channel, "unary_unary", "Missing")(EchoRequest(), timeout=TIMEOUT)
    except grpc.RpcError as e:
        expect(e.code() == grpc.StatusCode.UNIMPLEMENTED, "code %s" % e.code())
        return
    raise AssertionError("no error")


def deadline(channel):
    try:
        method(channel, "unary_unary", "Unary")(EchoRequest(text=CALL_ID, delay_ms=10000), timeout=1.0)
    except grpc.RpcError as e:
        expect(e.code() == grpc.StatusCode.DEADLINE_EXCEEDED, "code %s" % e.code())
        return
    raise AssertionError("no error")


def cancel(channel):
    outgoing = queue.Queue()

    def requests():
        while True:
            item = outgoing.get()
            if item is None:
                return
            yield item

    call = method(channel, "stream_stream", "Bidi")(requests(), metadata=(("x-call-id", CALL_ID),), timeout=TIMEOUT)
    outgoing.put(EchoRequest(text="first"))
    expect(next(call).text == "first", "first reply")
    call.cancel()
    outgoing.put(None)
    expect(call.code() == grpc.StatusCode.CANCELLED, "code %s" % call.code())


SCENARIOS = {f.__name__: f for f in (unary, server_stream, client_stream, bidi, metadata, error, unimplemented, deadline, cancel)}


def main():
    with grpc.insecure_channel(TARGET) as channel:
        grpc.channel_ready_future(channel).result(timeout=TIMEOUT)
        SCENARIOS[SCENARIO](channel)
    print("OK %s" % SCENARIO, flush=True)


if __name__ == "__main__":
    main()
