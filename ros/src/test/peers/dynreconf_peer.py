"""dynamic_reconfigure's own Python client against a node, as a script would use it.
Usage: /usr/bin/python3 dynreconf_peer.py client NODE 'YAML_DICT'   update_configuration, print the reply
       /usr/bin/python3 dynreconf_peer.py raw NODE                    hand-made requests a careless client sends
Prints one line per reply: 'reply' and the reply's values as JSON (sorted keys), and 'done' at the end."""
import json, math, sys
import rospy, yaml
import dynamic_reconfigure.client
from dynamic_reconfigure.msg import Config, BoolParameter, IntParameter, StrParameter, DoubleParameter
from dynamic_reconfigure.srv import Reconfigure

def values(cfg):
    return json.dumps({p.name: p.value for p in cfg.bools + cfg.ints + cfg.strs + cfg.doubles}, sort_keys=True)

mode, node = sys.argv[1], sys.argv[2]
rospy.init_node('dynreconf_peer', anonymous=True)
if mode == 'client':
    client = dynamic_reconfigure.client.Client(node, timeout=20)
    reply = client.update_configuration(yaml.safe_load(sys.argv[3]))
    print('reply', json.dumps({k: v for k, v in reply.items() if k != 'groups'}, sort_keys=True), flush=True)
elif mode == 'raw':
    rospy.wait_for_service(node + '/set_parameters', 20)
    call = rospy.ServiceProxy(node + '/set_parameters', Reconfigure)
    requests = [
        Config(ints=[IntParameter('no_such_parameter', 3)]),                  # a name the node does not have
        Config(strs=[StrParameter('gain', 'fast')]),                          # a string for a double
        Config(doubles=[DoubleParameter('gain', float('nan'))]),              # NaN
        Config(doubles=[DoubleParameter('steps', 2.5)]),                      # a fraction for an int
        Config(bools=[BoolParameter('enabled', False)], ints=[IntParameter('gain', 4)]),  # an int for a double: fine
        Config(),                                                             # nothing at all
    ]
    for r in requests:
        print('reply', values(call(r).config), flush=True)
print('done', flush=True)
