"""Kernel confinement the sandboxed renderer applies to itself: Landlock and seccomp.

Loaded inside the sandbox next to sandbox_entry.py (standard library plus pyseccomp only, no
`app` imports). Both layers are inherited by every child (LaTeX, dvisvgm, anything the scene
starts) and cannot be lifted once applied. Under bubblewrap they are a second wall; in
"process" mode, where there is no bubblewrap, they are what keeps the scene from writing
outside its job directory, reading the host's files and opening network connections.

Landlock is called through ctypes rather than the `landlock` PyPI package because that package
(1.0.0.dev5) only covers filesystem rules; Chalk also needs TCP rules (ABI 4) and the signal /
abstract-socket scoping (ABI 6) that stops a scene from signalling its supervisor.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import signal

# Landlock syscalls have the same numbers on every architecture (added after the unification).
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH, RULE_NET_PORT = 1, 2
PR_SET_NO_NEW_PRIVS = 38
PR_SET_PDEATHSIG = 1

FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
FS_REMOVE_DIR = 1 << 4
FS_REMOVE_FILE = 1 << 5
FS_MAKE_CHAR = 1 << 6
FS_MAKE_DIR = 1 << 7
FS_MAKE_REG = 1 << 8
FS_MAKE_SOCK = 1 << 9
FS_MAKE_FIFO = 1 << 10
FS_MAKE_BLOCK = 1 << 11
FS_MAKE_SYM = 1 << 12
FS_REFER = 1 << 13  # ABI 2
FS_TRUNCATE = 1 << 14  # ABI 3
FS_IOCTL_DEV = 1 << 15  # ABI 5
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1  # ABI 4
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6

READ = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
# Rights that only make sense on a file (a rule on a regular file may grant only these).
FILE_ONLY = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV

# Syscalls a render never needs and that widen the attack surface (kernel, other processes,
# namespaces, io_uring's seccomp bypass).
DENIED_SYSCALLS = (
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "keyctl",
    "add_key",
    "request_key",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "swapon",
    "swapoff",
    "reboot",
    "acct",
    "quotactl",
    "open_by_handle_at",
    "name_to_handle_at",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "fanotify_init",
    "add_key",
    "mount_setattr",
    "fsopen",
    "fsmount",
    "move_mount",
)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is unavailable."""
    if platform.system() != "Linux":
        return 0
    version = _libc().syscall(SYS_CREATE_RULESET, None, 0, CREATE_RULESET_VERSION)
    return max(0, int(version))


def _all_fs_rights(abi: int) -> int:
    rights = (1 << 13) - 1
    if abi >= 2:
        rights |= FS_REFER
    if abi >= 3:
        rights |= FS_TRUNCATE
    if abi >= 5:
        rights |= FS_IOCTL_DEV
    return rights


def apply_landlock(
    read_paths: list[str], write_paths: list[str], write_files: list[str]
) -> list[str]:
    """Allow reads beneath `read_paths`, full access beneath `write_paths`, writes to
    `write_files`; deny every other path, all TCP, and signals/abstract sockets outside.
    Returns the layers applied (empty when the kernel has no Landlock)."""
    abi = landlock_abi()
    if abi < 1:
        return []
    libc = _libc()
    handled = _all_fs_rights(abi)
    attr = _RulesetAttr(handled_access_fs=handled)
    layers = ["landlock-fs"]
    if abi >= 4:
        attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
        layers.append("landlock-net")
    if abi >= 6:
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
        layers.append("landlock-scope")
    # Older kernels accept the full struct as long as the fields they do not know are zero.
    ruleset = libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.sizeof(attr), 0)
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        for paths, rights in ((read_paths, READ), (write_paths, handled)):
            for path in paths:
                _allow(libc, ruleset, path, rights & handled)
        for path in write_files:
            _allow(libc, ruleset, path, (FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE) & handled)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS) failed")
        if libc.syscall(SYS_RESTRICT_SELF, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return layers


def _allow(libc: ctypes.CDLL, ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path this host does not have needs no rule
    try:
        if not os.path.isdir(path):
            rights &= FILE_ONLY
        rule = _PathBeneath(allowed_access=rights, parent_fd=fd)
        if libc.syscall(SYS_ADD_RULE, ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    finally:
        os.close(fd)


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when `parent`, the process that started it, dies."""
    _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the signal was armed
        os._exit(1)


def apply_seccomp() -> list[str]:
    """Deny new sockets and the syscalls in DENIED_SYSCALLS with EPERM."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError):  # no pyseccomp or no libseccomp.so.2 on this host
        return []
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    deny = seccomp.ERRNO(errno.EPERM)
    # No new sockets of any family: a render needs none, and a Unix socket could connect to
    # a host service's socket file (PostgreSQL, Docker), which Landlock does not cover.
    # socketpair() stays: it only joins two ends this process owns.
    rules.add_rule(deny, "socket")
    for name in DENIED_SYSCALLS:
        try:
            rules.add_rule(deny, name)
        except (OSError, ValueError, RuntimeError):
            continue  # not a syscall on this architecture
    rules.load()
    return ["seccomp"]
