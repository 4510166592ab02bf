"""MD5 sums of the shipped actionlib_msgs and control_msgs types as Debian's genmsg computes them, with
Debian's own actionlib_msgs and std_msgs definitions on the search path (ours only for control_msgs,
which Debian does not package), and as the Python classes in the checkout's devel/ have them.
Prints TYPE GENMSG_MD5 DEVEL_MD5_OR_- per line.
Usage: /usr/bin/python3 action_md5.py SHIPPED_DIR DEVEL_PYTHON_DIR TYPE..."""
import importlib, sys
import genmsg, genmsg.msg_loader

shipped, devel = sys.argv[1], sys.argv[2]
sys.path.insert(0, devel)
search = {'std_msgs': ['/usr/share/std_msgs/msg'],
          'actionlib_msgs': ['/usr/share/actionlib_msgs/msg'],
          'control_msgs': [shipped + '/control_msgs/msg']}
for t in sys.argv[3:]:
    ctx = genmsg.MsgContext.create_default()
    spec = genmsg.msg_loader.load_msg_by_type(ctx, t, search)
    genmsg.msg_loader.load_msg_depends(ctx, spec, search)
    pkg, name = t.split('/')
    try:
        generated = getattr(importlib.import_module(pkg + '.msg'), name)._md5sum
    except ImportError:
        generated = '-'
    print(t, genmsg.compute_md5(ctx, spec), generated, flush=True)
