"""The syscall filter every sandboxed process runs under, as a classic BPF program for bwrap.

Namespaces and a uid without capabilities already make these calls fail or act only inside
the box; the filter takes them away altogether, so a kernel bug behind one of them is out of
reach too (Flatpak does the same). Calls of another ABI (32-bit x86, x32) are refused whole,
since their numbers differ and would slip past the list.
"""

import platform
import struct

# Numbers from the kernel's uapi headers: asm/unistd_64.h (x86_64), asm-generic/unistd.h.
DENIED = {
    #                    x86_64, aarch64
    "ptrace": (101, 117),
    "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    "keyctl": (250, 219),
    "add_key": (248, 217),
    "request_key": (249, 218),
    "bpf": (321, 280),
    "perf_event_open": (298, 241),
    "userfaultfd": (323, 282),
    "kexec_load": (246, 104),
    "kexec_file_load": (320, 294),
    "init_module": (175, 105),
    "finit_module": (313, 273),
    "delete_module": (176, 106),
    "mount": (165, 40),
    "umount2": (166, 39),
    "pivot_root": (155, 41),
    "unshare": (272, 97),
    "setns": (308, 268),
    "swapon": (167, 224),
    "swapoff": (168, 225),
    "reboot": (169, 142),
    "acct": (163, 89),
    "quotactl": (179, 60),
    "syslog": (103, 116),
    "open_by_handle_at": (304, 265),
    "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427),
    "open_tree": (428, 428),
    "move_mount": (429, 429),
    "fsopen": (430, 430),
    "fsconfig": (431, 431),
    "fsmount": (432, 432),
    "fspick": (433, 433),
    "mount_setattr": (442, 442),
}
# clone3 passes its flags in memory, where a filter cannot read them: answering ENOSYS makes
# the C library fall back to clone(), whose namespace flags the user namespace limits refuse.
CLONE3 = 435
ARCHES = {"x86_64": (0xC000003E, 0), "aarch64": (0xC00000B7, 1)}  # AUDIT_ARCH_*, column

_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW, _ERRNO, _KILL = 0x7FFF0000, 0x00050000, 0x80000000
_EPERM, _ENOSYS = 1, 38
_X32_BIT = 0x40000000


def supported() -> bool:
    return platform.machine() in ARCHES


def program() -> bytes:
    """The filter for this machine's architecture (see `supported`)."""
    arch, column = ARCHES[platform.machine()]
    ops = [
        (_LD_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ, 1, 0, arch),
        (_RET, 0, 0, _KILL),
        (_LD_ABS, 0, 0, 0),  # seccomp_data.nr
        (_JGE, 0, 1, _X32_BIT),
        (_RET, 0, 0, _KILL),
        (_JEQ, 0, 1, CLONE3),
        (_RET, 0, 0, _ERRNO | _ENOSYS),
    ]
    for numbers in DENIED.values():
        ops += [(_JEQ, 0, 1, numbers[column]), (_RET, 0, 0, _ERRNO | _EPERM)]
    ops.append((_RET, 0, 0, _ALLOW))
    return b"".join(struct.pack("=HBBI", *op) for op in ops)
