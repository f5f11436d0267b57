"""A python grpcio server implementing ballast.test.v1.EchoService, for interop tests of our C# client.

Usage: /usr/bin/python3 echo_server.py DESCRIPTOR_FILE
Prints "PORT <n>" once listening on 127.0.0.1 (port chosen by the OS); stops when stdin closes.
Behaviour matches the C# EchoService: "x-" request metadata is echoed as initial metadata, trailer
"x-trailer" is "done" or "failed", fail_code/fail_message fail the call, delay_ms delays each reply.
"""
import sys
import time
from concurrent import futures

import grpc

import echo_messages

EchoRequest, EchoReply = echo_messages.load(sys.argv[1])


def echo_headers(context):
    echoed = [(k, v) for k, v in context.invocation_metadata() if k.startswith("x-")]
    if echoed:
        context.send_initial_metadata(echoed)


def delay(request, context):
    end = time.monotonic() + request.delay_ms / 1000.0
    while time.monotonic() < end and context.is_active():
        time.sleep(0.01)


def fail_if_asked(request, context):
    if request.fail_code != 0:
        context.set_trailing_metadata((("x-trailer", "failed"), ("x-error-bin", b"\x00\x01\x02\xff")))
        context.abort(echo_messages.status_code(request.fail_code), request.fail_message)


def unary(request, context):
    echo_headers(context)
    delay(request, context)
    fail_if_asked(request, context)
    context.set_trailing_metadata((("x-trailer", "done"),))
    return EchoReply(text=request.text, payload=request.payload)


def server_stream(request, context):
    echo_headers(context)
    for i in range(request.count):
        delay(request, context)
        yield EchoReply(text="%s-%d" % (request.text, i), index=i, payload=request.payload)
    fail_if_asked(request, context)
    context.set_trailing_metadata((("x-trailer", "done"),))


def client_stream(request_iterator, context):
    texts = []
    for request in request_iterator:
        fail_if_asked(request, context)
        texts.append(request.text)
    context.set_trailing_metadata((("x-trailer", "done"),))
    return EchoReply(text=",".join(texts), index=len(texts))


def bidi(request_iterator, context):
    for index, request in enumerate(request_iterator):
        fail_if_asked(request, context)
        delay(request, context)
        yield EchoReply(text=request.text, index=index, payload=request.payload)
    context.set_trailing_metadata((("x-trailer", "done"),))


def main():
    kw = dict(request_deserializer=EchoRequest.FromString, response_serializer=EchoReply.SerializeToString)
    handlers = {
        "Unary": grpc.unary_unary_rpc_method_handler(unary, **kw),
        "ServerStream": grpc.unary_stream_rpc_method_handler(server_stream, **kw),
        "ClientStream": grpc.stream_unary_rpc_method_handler(client_stream, **kw),
        "Bidi": grpc.stream_stream_rpc_method_handler(bidi, **kw),
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(echo_messages.SERVICE, handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()
    server.stop(0)


if __name__ == "__main__":
    main()
