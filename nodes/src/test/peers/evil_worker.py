#!/usr/bin/env python3
"""A naive stranger's worker for the trainer: copies a real batch from /experience, then publishes
it back as worker /evil bent one way at a time, then floods. Prints one line per step on stdout.
Needs teach_learn's messages: eval "$(./teach_learn env)"."""
import copy
import sys
import time

import rospy
from teach_learn.msg import Experience

FLOOD_SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0

rospy.init_node('evil_worker')
pub = rospy.Publisher('/experience', Experience, queue_size=1000)
latest = []


def on_experience(m):
    if not m.worker.startswith('/evil'):
        latest[:] = [m]


sub = rospy.Subscriber('/experience', Experience, on_experience)
deadline = time.time() + 60
while (not latest or pub.get_num_connections() == 0) and time.time() < deadline and not rospy.is_shutdown():
    time.sleep(0.05)
if not latest:
    print('no batch from a worker on /experience in 60 s', flush=True)
    sys.exit(1)
good = latest[0]
n, od, ad = len(good.reward), good.obs_dim, good.act_dim
print('copied a batch of %d rows from %s: obs_dim %d, act_dim %d, policy_version %d' % (n, good.worker, od, ad, good.policy_version), flush=True)


def bent(change, worker='/evil'):
    m = copy.deepcopy(latest[0])
    m.worker = worker
    change(m)
    return m


def nan_logprob(m):
    m.logprob = [float('nan')] * n


def nan_reward(m):
    m.reward = list(m.reward)
    m.reward[3] = float('nan')


def short_obs(m):
    m.obs = m.obs[:-1]


def obs_dim_14(m):
    m.obs_dim = 14
    m.obs = [0.0] * (n * 14)
    m.next_obs = [0.0] * (n * 14)


def absurd_version(m):
    m.policy_version = 4000000000


def done_7(m):
    m.done = bytes([7]) + bytes(m.done[1:])


def other_task(m):
    m.task = 'pick_place'


def no_rows(m):
    m.obs = m.action = m.logprob = m.reward = m.next_obs = m.expert_action = m.executed_action = []
    m.done = m.intervention = b''
    m.episode = []


def obs_dim_max(m):
    m.obs_dim = 4294967295


def expert_short(m):
    m.expert_action = [0.0] * 3


# A deterministic worker's batch first: not a refusal, and it puts /evil in the trainer's book.
steps = [('nan_logprob', nan_logprob), ('nan_reward', nan_reward), ('short_obs', short_obs), ('obs_dim_14', obs_dim_14),
         ('absurd_version', absurd_version), ('done_7', done_7), ('other_task', other_task), ('no_rows', no_rows),
         ('expert_short', expert_short), ('obs_dim_max', obs_dim_max)]
for name, change in steps:
    if name == 'obs_dim_max':
        time.sleep(1.1)   # the trainer logs one refusal of a kind (here obs_dim) per worker and second
    pub.publish(bent(change))
    print('sent ' + name, flush=True)
    time.sleep(0.05)
pub.publish(bent(lambda m: None, worker='/evil' + 'x' * 10240))
print('sent long_name', flush=True)


def tiled(m, times):
    for f in ('obs', 'action', 'logprob', 'reward', 'next_obs', 'expert_action', 'executed_action', 'episode'):
        setattr(m, f, list(getattr(m, f)) * times)
    m.done = bytes(m.done) * times
    m.intervention = bytes(m.intervention) * times


# Very large messages: 80 batches in one, more than a worker may have waiting.
for i in range(3):
    pub.publish(bent(lambda m: tiled(m, 80)))
print('sent large', flush=True)
time.sleep(0.5)

replay = bent(lambda m: None)   # the newest real batch, sent again and again
for i in range(50):
    pub.publish(replay)
print('sent replays', flush=True)
time.sleep(0.5)

print('flood start', flush=True)
t0 = time.time()
flood = bent(lambda m: None)
flood.reward = list(flood.reward)
sent = 0
while time.time() - t0 < FLOOD_SECONDS:
    flood.reward[0] = sent * 1e-3   # each batch other transitions, as fast as rospy takes them
    pub.publish(flood)
    sent += 1
print('flood sent: %d batches of %d rows in %.2f s' % (sent, n, time.time() - t0), flush=True)
time.sleep(2)   # rospy's queue drains to the trainer
print('done', flush=True)
