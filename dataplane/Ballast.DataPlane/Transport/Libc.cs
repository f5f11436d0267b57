using System.Runtime.InteropServices;

namespace Ballast.DataPlane.Transport;

/// <summary>
/// The Linux system calls of <see cref="EpollTransport"/> (glibc, x86-64): epoll(7), eventfd(2),
/// non-blocking sockets (accept4, connect, recv, send) and their errno values. Each returns -1 and sets errno on
/// failure (read with <see cref="Marshal.GetLastPInvokeError"/>).
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    /// <summary>errno: interrupted system call, retry.</summary>
    public const int EINTR = 4;

    /// <summary>errno: the operation would block (non-blocking socket has no data / no buffer space).</summary>
    public const int EAGAIN = 11;

    /// <summary>errno: the client reset the connection before it was accepted.</summary>
    public const int ECONNABORTED = 103;

    /// <summary>errno: a non-blocking connect is under way.</summary>
    public const int EINPROGRESS = 115;

    /// <summary>epoll event: readable.</summary>
    public const uint EPOLLIN = 0x001;

    /// <summary>epoll event: writable.</summary>
    public const uint EPOLLOUT = 0x004;

    /// <summary>epoll event: error on the socket.</summary>
    public const uint EPOLLERR = 0x008;

    /// <summary>epoll event: both directions shut down.</summary>
    public const uint EPOLLHUP = 0x010;

    /// <summary>epoll event: the peer shut down its sending side (FIN).</summary>
    public const uint EPOLLRDHUP = 0x2000;

    /// <summary>epoll flag: edge-triggered (an event per change of readiness, as HAProxy's poller).</summary>
    public const uint EPOLLET = 0x80000000;

    /// <summary>epoll_ctl: add a descriptor.</summary>
    public const int EPOLL_CTL_ADD = 1;

    /// <summary>epoll_ctl: remove a descriptor.</summary>
    public const int EPOLL_CTL_DEL = 2;

    /// <summary>Close-on-exec flag of epoll_create1, eventfd, accept4 and socket.</summary>
    public const int O_CLOEXEC = 0x80000;

    /// <summary>Non-blocking flag of eventfd, accept4 and socket.</summary>
    public const int O_NONBLOCK = 0x800;

    /// <summary>socket type: stream.</summary>
    public const int SOCK_STREAM = 1;

    /// <summary>Address family IPv4.</summary>
    public const int AF_INET = 2;

    /// <summary>Address family IPv6.</summary>
    public const int AF_INET6 = 10;

    /// <summary>send flag: no SIGPIPE when the peer is gone.</summary>
    public const int MSG_NOSIGNAL = 0x4000;

    /// <summary>send flag: more data follows (the kernel may hold a partial frame).</summary>
    public const int MSG_MORE = 0x8000;

    /// <summary>shutdown: no more sends (FIN).</summary>
    public const int SHUT_WR = 1;

    /// <summary>shutdown: both directions.</summary>
    public const int SHUT_RDWR = 2;

    /// <summary>setsockopt level: socket.</summary>
    public const int SOL_SOCKET = 1;

    /// <summary>getsockopt: pending socket error (non-blocking connect result).</summary>
    public const int SO_ERROR = 4;

    /// <summary>setsockopt level: TCP.</summary>
    public const int IPPROTO_TCP = 6;

    /// <summary>setsockopt: disable Nagle.</summary>
    public const int TCP_NODELAY = 1;

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, EpollEvent* ev);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_wait(int epfd, EpollEvent* events, int maxevents, int timeout);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    /// <remarks>
    /// Without a GC transition: the socket is non-blocking, so the call returns within microseconds (a loopback send
    /// includes the receiver's softirq work), and a GC waits at most that long for this thread.
    /// </remarks>
    [LibraryImport(Library, SetLastError = true)]
    [SuppressGCTransition]
    public static partial nint recv(int fd, byte* buffer, nint length, int flags);

    /// <remarks>
    /// Without a GC transition: the socket is non-blocking, so the call returns within microseconds (a loopback send
    /// includes the receiver's softirq work), and a GC waits at most that long for this thread.
    /// </remarks>
    [LibraryImport(Library, SetLastError = true)]
    [SuppressGCTransition]
    public static partial nint send(int fd, byte* buffer, nint length, int flags);

    /// <summary>Gathers the buffers of <paramref name="message"/> into one send (non-blocking socket: see <see cref="send"/>).</summary>
    [LibraryImport(Library, SetLastError = true)]
    [SuppressGCTransition]
    public static partial nint sendmsg(int fd, MessageHeader* message, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int accept4(int fd, byte* address, int* addressLength, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int connect(int fd, byte* address, int addressLength);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int name, void* value, int* length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getsockname(int fd, byte* address, int* addressLength);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int shutdown(int fd, int how);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    /// <summary><c>struct iovec</c>: one buffer of a gathered send.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        /// <summary>Start of the buffer.</summary>
        public byte* Base;

        /// <summary>Its length, bytes.</summary>
        public nuint Length;
    }

    /// <summary><c>struct msghdr</c> of x86-64 Linux (no address, no control data for a connected TCP socket).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        /// <summary>Peer address: null on a connected socket.</summary>
        public void* Name;

        /// <summary>Its length.</summary>
        public uint NameLength;

        /// <summary>The buffers.</summary>
        public IoVector* Vectors;

        /// <summary>How many.</summary>
        public nuint VectorCount;

        /// <summary>Ancillary data: null.</summary>
        public void* Control;

        /// <summary>Its length.</summary>
        public nuint ControlLength;

        /// <summary>Flags of a received message (unused by send).</summary>
        public int Flags;
    }

    /// <summary><c>struct epoll_event</c> of x86-64: packed, 12 bytes (the transport runs on x86-64 only).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    public struct EpollEvent
    {
        /// <summary>EPOLL* flags.</summary>
        public uint Events;

        /// <summary>The user data word (ours: a GCHandle of the handler, 0 for the loop's wake-up eventfd).</summary>
        public ulong Data;
    }
}
