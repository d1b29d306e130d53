#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes an eBPF C file of random structs and unions (bitfields, zero-width
# bitfields, packed and over-aligned types, anonymous members, arrays,
# pointers, long, enums of every size, flexible array members), each used by
# a global variable so that it appears in BTF. `gen types --layout-check`
# then checks that the wasm32 header reproduces every field's place.
# Usage: randstructs.py SEED COUNT > out.bpf.c
import random
import sys

seed, count = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(seed)

SCALARS = ['__u8', '__u16', '__u32', '__u64', '__s8', '__s16', '__s32', '__s64',
           'char', 'long', 'unsigned long', 'int', 'short', '_Bool', 'void *',
           'enum re8', 'enum re16', 'enum re32', 'enum re64', 'float', 'double',
           'unsigned __int128']
BITTYPES = [('__u8', 8), ('__u16', 16), ('__u32', 32), ('__u64', 64),
            ('int', 32), ('signed char', 8), ('long', 64), ('enum re16', 16)]
out = []
names = []		# structs defined so far (usable by value)
field_no = [0]


def field_type(depth, idx):
    r = rnd.random()
    if names and r < 0.15:
        return 'struct ' + rnd.choice(names)
    if names and r < 0.2:
        return 'struct ' + rnd.choice(names) + ' *'
    if depth < 2 and r < 0.3:
        return anon(depth + 1, idx)
    return rnd.choice(SCALARS)


def anon(depth, idx):
    kw = 'union' if rnd.random() < 0.4 else 'struct'
    body = members(depth, idx, rnd.randint(1, 4), kw == 'union')
    return kw + ' {\n' + body + '\t' * depth + '}'


def members(depth, idx, n, is_union):
    s = ''
    ind = '\t' * (depth + 1)
    for i in range(n):
        field_no[0] += 1
        name = 'f%d' % field_no[0]
        r = rnd.random()
        if r < 0.25:
            t, bits = rnd.choice(BITTYPES)
            if not is_union and rnd.random() < 0.15:
                s += ind + '%s : 0;\n' % t
            s += ind + '%s %s : %d;\n' % (t, name, rnd.randint(1, bits))
            continue
        t = field_type(depth, idx)
        arr = ''
        if rnd.random() < 0.2:
            arr = '[%d]' % rnd.randint(1, 3)
        attr = ''
        if not is_union and rnd.random() < 0.08:
            attr = ' __attribute__((aligned(%d)))' % rnd.choice([2, 4, 8, 16])
        if t.endswith('}') and rnd.random() < 0.4 and not arr:
            s += ind + t.replace('\n', '\n\t') + ';\n'	# anonymous member
        else:
            s += ind + '%s %s%s%s;\n' % (t, name, arr, attr)
    return s


out.append('/* SPDX-License-Identifier: MIT */')
out.append('/* Random types for the layout cross-check, seed %d. Generated. */' % seed)
out.append('typedef unsigned char __u8; typedef unsigned short __u16;')
out.append('typedef unsigned int __u32; typedef unsigned long long __u64;')
out.append('typedef signed char __s8; typedef short __s16; typedef int __s32;')
out.append('typedef long long __s64;')
out.append('enum __attribute__((packed)) re8 { RE8_A = 1 };')
out.append('enum __attribute__((packed)) re16 { RE16_A = 1000 };')
out.append('enum re32 { RE32_A = 1 };')
out.append('enum re64 { RE64_A = 1, RE64_B = 0xffffffffffULL };')
for k in range(count):
    kw = 'union' if rnd.random() < 0.15 else 'struct'
    name = 'rs%d' % k
    body = members(0, k, rnd.randint(1, 8), kw == 'union')
    if kw == 'struct' and rnd.random() < 0.1:
        body += '\tchar flex_%d[];\n' % k
    attr = ''
    r = rnd.random()
    if r < 0.15:
        attr = ' __attribute__((packed))'
    elif r < 0.2:
        attr = ' __attribute__((packed, aligned(%d)))' % rnd.choice([2, 4, 8])
    elif r < 0.25:
        attr = ' __attribute__((aligned(%d)))' % rnd.choice([8, 16, 32])
    out.append('%s%s %s {\n%s};' % (kw, attr, name, body))
    out.append('%s %s g_%s;' % (kw, name, name))
    if kw == 'struct':
        names.append(name)
out.append('char LICENSE[] __attribute__((section("license"), used)) = "GPL";')
print('\n'.join(out))
