"""Computes, with genmsg and genpy, what ROS makes of our shipped definitions: MD5 sums, full
definition texts, and the bytes of a deterministically filled message. Also reports the MD5 of
Debian's own classes for the same types. Reads type names from stdin; writes one line per type:
TYPE MD5 DEBIAN_MD5_OR_- HEX FULL_TEXT_BASE64
Usage: /usr/bin/python3 parity.py PKG=DIR ...   (DIR holds msg/ and srv/)"""
import base64, io, sys, importlib
import genmsg, genmsg.msg_loader, genpy, genpy.dynamic

search = {}
for arg in sys.argv[1:]:
    pkg, d = arg.split('=', 1)
    search[pkg] = [d + '/msg']

class Filler:
    def __init__(self): self.k = 0
    def scalar(self, t, classes):
        self.k += 1; k = self.k
        if t == 'bool': return k % 2 == 1
        if t in ('int8', 'byte'): return k % 100 - 50
        if t in ('uint8', 'char'): return k % 200
        if t == 'int16': return k * 3 - 500
        if t == 'uint16': return k * 3
        if t == 'int32': return k * 1000 - 7
        if t == 'uint32': return k * 1000
        if t == 'int64': return k * 100000 - 3
        if t == 'uint64': return k * 100000
        if t == 'float32': return k + 0.25
        if t == 'float64': return k + 0.125
        if t == 'string': return 's%d' % k
        if t == 'time': return genpy.Time(k, k * 1000)
        if t == 'duration': return genpy.Duration(k, k * 1000)
        return self.fill(classes[t](), classes)
    def fill(self, m, classes):
        for name, t in zip(m.__slots__, m._slot_types):
            base, is_array, n = genmsg.msgs.parse_type(t)
            if base == 'Header': base = 'std_msgs/Header'
            if is_array:
                if n is None:
                    self.k += 1; n = self.k % 3 + 1
                val = [self.scalar(base, classes) for _ in range(n)]
                if base in ('uint8', 'char'): val = bytes(val)
            else:
                val = self.scalar(base, classes)
            setattr(m, name, val)
        return m

for line in sys.stdin:
    t = line.strip()
    if not t: continue
    ctx = genmsg.MsgContext.create_default()
    spec = genmsg.msg_loader.load_msg_by_type(ctx, t, search)
    genmsg.msg_loader.load_msg_depends(ctx, spec, search)
    md5 = genmsg.compute_md5(ctx, spec)
    full = genmsg.compute_full_text(ctx, spec)
    classes = genpy.dynamic.generate_dynamic(t, full)
    m = Filler().fill(classes[t](), classes)
    buf = io.BytesIO(); m.serialize(buf)
    debian = None
    pkg, name = t.split('/')
    try:
        debian = getattr(importlib.import_module(pkg + '.msg'), name)._md5sum
    except Exception:
        pass
    print(t, md5, debian or '-', buf.getvalue().hex() or '-', base64.b64encode(full.encode()).decode(), flush=True)
