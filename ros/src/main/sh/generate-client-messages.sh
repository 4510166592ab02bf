#!/usr/bin/env bash
# Generates teach_learn's messages and services (msg/, srv/) for every other ROS client, with Debian's own
# generators as catkin would run them: Python classes with genpy (for rospy, rostopic, rosservice) and C++
# headers with gencpp (for roscpp), plus a pkg-config file and a CMake config for C++ users. The output is a
# devel-like tree in the checkout, never committed:
#   devel/lib/python3/dist-packages/teach_learn/{msg,srv}/   devel/include/teach_learn/*.h
#   devel/lib/pkgconfig/teach_learn.pc                       devel/share/teach_learn/cmake/teach_learnConfig.cmake
# and the same for the standard packages the suite ships that Debian does not package (control_msgs):
#   devel/lib/python3/dist-packages/control_msgs/msg/        devel/include/control_msgs/*.h
# Run by the ros module's build (generate-sources) and by `./teach_learn env`. A missing generator is reported
# on stderr with what to install, and is not an error: the Java build does not need it. A generator that
# fails on a definition is an error. Usage: generate-client-messages.sh ROOT
set -euo pipefail
ROOT="$(cd "${1:?usage: generate-client-messages.sh CHECKOUT_ROOT}" && pwd)"
# Debian's genmsg, genpy and gencpp live in /usr/bin/python3's dist-packages; TEACH_LEARN_PYTHON names another
# Python (the tests name one without them, to see what a machine without the generators is told).
PY="${TEACH_LEARN_PYTHON:-/usr/bin/python3}"
DEVEL="$ROOT/devel"
PY_OUT="$DEVEL/lib/python3/dist-packages/teach_learn"
CPP_OUT="$DEVEL/include/teach_learn"
SHIPPED="$ROOT/ros/src/main/ros"
# Shipped standard packages with no Debian package: generated here too, so that rospy and roscpp can talk to
# the suite's action servers (control_msgs/GripperCommand). Each is regenerated whole when its definitions change.
UNPACKAGED=(control_msgs)
SELF="${BASH_SOURCE[0]}"

have_module() { [ -x "$PY" ] && "$PY" -c "import $1" 2>/dev/null; }

missing() { # what, package
  echo "teach_learn: $1 of teach_learn's messages not generated: Debian's $2 is not installed" \
       "(as root: apt-get install -y --no-install-recommends $2; then ./teach_learn env)" >&2
}

# The inputs, and every message package Debian installs (std_msgs, geometry_msgs, ...) as an include path.
MSGS=("$ROOT"/msg/*.msg)
SRVS=("$ROOT"/srv/*.srv)
INCLUDES=("-Iteach_learn:$ROOT/msg")
for d in /usr/share/*/msg; do
  [ -d "$d" ] && INCLUDES+=("-I$(basename "$(dirname "$d")"):$d")
done
# Then the suite's own copies of the standard packages, for those Debian lacks (control_msgs needs
# actionlib_msgs, whose .msg files come with ros-actionlib-msgs, not with python3-actionlib-msgs).
for d in "$SHIPPED"/*/msg; do
  [ -d "$d" ] && INCLUDES+=("-I$(basename "$(dirname "$d")"):$d")
done

# Up to date when the stamp is newer than every definition, package.xml and this script.
fresh() { # stamp [definition dirs...]; without dirs: teach_learn's msg/ and srv/
  local dirs=("${@:2}")
  [ ${#dirs[@]} -gt 0 ] || dirs=("$ROOT/msg" "$ROOT/srv" "$ROOT/package.xml")
  [ -f "$1" ] && [ -z "$(find "${dirs[@]}" "$SELF" -newer "$1" -print -quit)" ]
}

# Generates into a fresh directory, then swaps it in whole: a reader never sees half a package.
swap_in() { # new_dir, target_dir
  local old="$2.old.$$"
  [ -e "$2" ] && mv "$2" "$old"
  mv "$1" "$2"
  rm -rf "$old"
}

mkdir -p "$DEVEL"
tmp=""
trap '[ -n "$tmp" ] && rm -rf "$tmp"' EXIT   # a generator that failed leaves no half-generated tree behind
exec 9>"$DEVEL/.lock"
command -v flock >/dev/null && flock 9   # the build and `./teach_learn env` may run at once

generated=()

if ! have_module "genmsg" || ! have_module "genpy.generator"; then
  missing "the Python classes (rospy, rostopic, rosservice)" python3-genpy
elif ! fresh "$PY_OUT/.stamp"; then
  tmp="$(mktemp -d "$DEVEL/.py.XXXXXX")"
  "$PY" /usr/lib/genpy/genmsg_py.py -p teach_learn "${INCLUDES[@]}" -o "$tmp/msg" "${MSGS[@]}" >&2
  "$PY" /usr/lib/genpy/genmsg_py.py --initpy -o "$tmp/msg" >&2
  "$PY" /usr/lib/genpy/gensrv_py.py -p teach_learn "${INCLUDES[@]}" -o "$tmp/srv" "${SRVS[@]}" >&2
  "$PY" /usr/lib/genpy/gensrv_py.py --initpy -o "$tmp/srv" >&2
  : >"$tmp/__init__.py"
  touch "$tmp/.stamp"
  mkdir -p "$(dirname "$PY_OUT")"
  swap_in "$tmp" "$PY_OUT"
  tmp=""
  generated+=("Python")
fi

for pkg in "${UNPACKAGED[@]}"; do
  have_module "genmsg" && have_module "genpy.generator" || break   # reported above
  [ -d "$SHIPPED/$pkg/msg" ] || continue   # a partial copy of the checkout
  out="$DEVEL/lib/python3/dist-packages/$pkg"
  fresh "$out/.stamp" "$SHIPPED/$pkg" && continue
  tmp="$(mktemp -d "$DEVEL/.py.XXXXXX")"
  "$PY" /usr/lib/genpy/genmsg_py.py -p "$pkg" "${INCLUDES[@]}" -o "$tmp/msg" "$SHIPPED/$pkg"/msg/*.msg >&2
  "$PY" /usr/lib/genpy/genmsg_py.py --initpy -o "$tmp/msg" >&2
  : >"$tmp/__init__.py"
  touch "$tmp/.stamp"
  swap_in "$tmp" "$out"
  tmp=""
  generated+=("Python ($pkg)")
done

if ! have_module "genmsg.template_tools" || [ ! -f /usr/share/gencpp/msg.h.template ]; then
  missing "the C++ headers (roscpp)" python3-gencpp
elif ! fresh "$CPP_OUT/.stamp"; then
  tmp="$(mktemp -d "$DEVEL/.cpp.XXXXXX")"
  for f in "${MSGS[@]}" "${SRVS[@]}"; do   # gencpp takes one definition per run
    "$PY" /usr/lib/gencpp/gen_cpp.py -p teach_learn "${INCLUDES[@]}" -o "$tmp" -e /usr/share/gencpp "$f" >&2
  done
  touch "$tmp/.stamp"
  mkdir -p "$(dirname "$CPP_OUT")"
  swap_in "$tmp" "$CPP_OUT"
  tmp=""

  # pkg-config and CMake find the headers relative to themselves, so the checkout may move.
  version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/package.xml" | head -1)"
  mkdir -p "$DEVEL/lib/pkgconfig" "$DEVEL/share/teach_learn/cmake"
  cat >"$DEVEL/lib/pkgconfig/teach_learn.pc" <<EOF
# teach_learn's message and service headers for roscpp (generated by gencpp; see docs/messages.md).
prefix=\${pcfiledir}/../..

Name: teach_learn
Description: teach_learn's messages and services (teach_learn/TaskState, teach_learn/Reset, ...) for roscpp
Version: $version
Requires: std_msgs message_runtime
Cflags: -I\${prefix}/include
Libs:
EOF
  cat >"$DEVEL/share/teach_learn/cmake/teach_learnConfig.cmake" <<EOF
# teach_learn's message and service headers for roscpp, as catkin exports a message package:
# find_package(teach_learn) or find_package(catkin REQUIRED COMPONENTS roscpp teach_learn), with the
# checkout's devel/ on CMAKE_PREFIX_PATH (./teach_learn env sets it). Generated; see docs/messages.md.
get_filename_component(teach_learn_PREFIX "\${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
get_filename_component(teach_learn_SOURCE_DIR "\${teach_learn_PREFIX}/.." ABSOLUTE)
set(teach_learn_VERSION "$version")
set(teach_learn_INCLUDE_DIRS "\${teach_learn_PREFIX}/include")
set(teach_learn_LIBRARIES "")
set(teach_learn_EXPORTED_TARGETS "")
set(teach_learn_MSG_INCLUDE_DIRS "\${teach_learn_SOURCE_DIR}/msg")
set(teach_learn_MSG_DEPENDENCIES std_msgs)
set(teach_learn_FOUND TRUE)
EOF
  cat >"$DEVEL/share/teach_learn/cmake/teach_learnConfig-version.cmake" <<EOF
set(PACKAGE_VERSION "$version")
if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
EOF
  generated+=("C++")
fi

for pkg in "${UNPACKAGED[@]}"; do
  have_module "genmsg.template_tools" && [ -f /usr/share/gencpp/msg.h.template ] || break   # reported above
  [ -d "$SHIPPED/$pkg/msg" ] || continue
  out="$DEVEL/include/$pkg"
  fresh "$out/.stamp" "$SHIPPED/$pkg" && continue
  tmp="$(mktemp -d "$DEVEL/.cpp.XXXXXX")"
  for f in "$SHIPPED/$pkg"/msg/*.msg; do
    "$PY" /usr/lib/gencpp/gen_cpp.py -p "$pkg" "${INCLUDES[@]}" -o "$tmp" -e /usr/share/gencpp "$f" >&2
  done
  touch "$tmp/.stamp"
  swap_in "$tmp" "$out"
  tmp=""
  generated+=("C++ ($pkg)")
done

[ ${#generated[@]} -gt 0 ] && echo "teach_learn: generated the $(IFS=/; echo "${generated[*]}") code of the messages into $DEVEL" >&2
exit 0
