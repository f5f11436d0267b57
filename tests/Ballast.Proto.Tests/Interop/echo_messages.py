"""Message classes of ballast.test.v1 (echo.proto), built at run time from a serialized FileDescriptorProto.

Debian's python3-protobuf is older than the code protoc generates, so no generated modules: the C# tests
write EchoReflection.Descriptor.SerializedData to a file and pass its path.
"""
import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

SERVICE = "ballast.test.v1.EchoService"


def load(descriptor_path):
    """Returns (EchoRequest, EchoReply) message classes."""
    with open(descriptor_path, "rb") as f:
        data = f.read()
    file_proto = descriptor_pb2.FileDescriptorProto.FromString(data)
    pool = descriptor_pool.DescriptorPool()
    if hasattr(pool, "Add"):
        pool.Add(file_proto)
    else:
        pool.AddSerializedFile(data)
    return (_message_class(pool, "ballast.test.v1.EchoRequest"),
            _message_class(pool, "ballast.test.v1.EchoReply"))


def _message_class(pool, name):
    descriptor = pool.FindMessageTypeByName(name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def status_code(number):
    """grpc.StatusCode for a numeric gRPC status code."""
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    raise ValueError("unknown status code %d" % number)
