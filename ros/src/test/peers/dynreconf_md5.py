"""MD5 sums of dynamic_reconfigure's types as Debian ships them: genmsg over Debian's own definitions
(/usr/share/dynamic_reconfigure, from libdynamic-reconfigure-config-init-mutex-dev) and the compiled
Python classes (python3-dynamic-reconfigure). Prints TYPE GENMSG_MD5 PYTHON_MD5 per line.
Usage: /usr/bin/python3 dynreconf_md5.py TYPE...   (srv types: dynamic_reconfigure/Reconfigure)"""
import importlib, sys
import genmsg, genmsg.msg_loader

search = {'dynamic_reconfigure': ['/usr/share/dynamic_reconfigure/msg'], 'std_msgs': ['/usr/share/std_msgs/msg']}
for t in sys.argv[1:]:
    pkg, name = t.split('/')
    ctx = genmsg.MsgContext.create_default()
    if name == 'Reconfigure':
        spec = genmsg.msg_loader.load_srv_from_file(ctx, '/usr/share/dynamic_reconfigure/srv/Reconfigure.srv', t)
        genmsg.msg_loader.load_depends(ctx, spec, search)
        kind = 'srv'
    else:
        spec = genmsg.msg_loader.load_msg_by_type(ctx, t, search)
        genmsg.msg_loader.load_msg_depends(ctx, spec, search)
        kind = 'msg'
    python = getattr(importlib.import_module(pkg + '.' + kind), name)._md5sum
    print(t, genmsg.compute_md5(ctx, spec), python, flush=True)
