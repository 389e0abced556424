#!/usr/bin/env bash
# Makes TorchSharp's native glue (libLibTorchSharp.so) loadable on hosts whose libstdc++ is
# older than GCC 13's (Debian 12: GCC 12, libstdc++ up to GLIBCXX_3.4.30). See docs/torchsharp.md.
#
# Usage: scripts/setup-torchsharp.sh DIR [DIR...]
#   DIR is a directory holding libLibTorchSharp.so, or any directory above it (a build or
#   publish output, a bin/ folder, the NuGet package folder ~/.nuget/packages/torchsharp):
#   every libLibTorchSharp.so found below DIR is handled.
#
# What it does, per libLibTorchSharp.so:
#   - nothing, when the libstdc++ that the loader would use for it already provides
#     GLIBCXX_3.4.32 (Ubuntu 24.04, the .NET 10 docker images, anything with GCC >= 13);
#   - nothing, when the file is already patched;
#   - otherwise marks the file's requirement of libstdc++ version GLIBCXX_3.4.32 as WEAK
#     (one byte, the vna_flags of that .gnu.version_r entry), so that the dynamic loader no
#     longer refuses the library. The only symbol the file takes from that version is
#     std::ios_base_library_init(), which GCC 13 references only to force the version
#     dependency; no relocation uses it, so it is never looked up.
# Safe to run any number of times, and on any host (exits 0 where there is nothing to do).
#
# Environment: TORCHSHARP_SETUP_QUIET=1 prints only patches and errors.
set -euo pipefail

log() { [ "${TORCHSHARP_SETUP_QUIET:-0}" = 1 ] || echo "setup-torchsharp: $*"; }
say() { echo "setup-torchsharp: $*"; }
die() { echo "setup-torchsharp: error: $*" >&2; exit 1; }

REQUIRED_VERSION=GLIBCXX_3.4.32
# ELF hash (the SysV hash of .gnu.version_r) of "GLIBCXX_3.4.32", little-endian bytes.
REQUIRED_HASH_BYTES="42f89702"
VER_FLG_WEAK=2

if [ "$#" -eq 0 ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi

if [ "$(uname -s)" != Linux ]; then
  log "not Linux, nothing to do"
  exit 0
fi

# Path of the libstdc++.so.6 the loader would bind LIB to ("" if it cannot tell).
loader_libstdcxx() {
  local lib="$1" path=""
  path="$(ldd "$lib" 2>/dev/null | awk '$1 == "libstdc++.so.6" && $2 == "=>" { print $3; exit }')" || true
  if [ -z "$path" ] || [ ! -e "$path" ]; then
    path="$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')" || true
  fi
  if [ -z "$path" ] || [ ! -e "$path" ]; then
    path="$(g++ -print-file-name=libstdc++.so.6 2>/dev/null)" || true
    case "$path" in /*) ;; *) path="" ;; esac
  fi
  echo "$path"
}

need_readelf() {
  command -v readelf >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing binutils (for readelf)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q binutils >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q binutils >/dev/null; }
  fi
  command -v readelf >/dev/null 2>&1 || die "readelf not found: install binutils (apt-get install binutils)"
}

# Byte offset in the file of the .gnu.version_r section (hex), and of the entry naming
# GLIBCXX_3.4.32 inside it, plus that entry's flags as printed by readelf.
# Prints "SECTION_OFFSET ENTRY_OFFSET FLAGS" or nothing when the file has no such entry.
find_entry() {
  LC_ALL=C readelf -V -W "$1" | awk -v ver="$REQUIRED_VERSION" '
    /^Version needs section/ { inneed = 1; getline
      for (i = 1; i <= NF; i++) if ($i == "Offset:") sec = $(i + 1); next }
    /^Version (definition|symbols) section/ { inneed = 0 }
    inneed && $2 == "Name:" && $3 == ver {
      ent = $1; sub(":", "", ent)
      flags = $5
      print sec, ent, flags; exit }'
}

patch_one() {
  local lib="$1"
  local std
  std="$(loader_libstdcxx "$lib")"
  if [ -n "$std" ] && grep -qaF "$REQUIRED_VERSION" "$std"; then
    log "$lib: $std provides $REQUIRED_VERSION, nothing to do"
    return 0
  fi
  need_readelf
  local entry sec ent flags
  entry="$(find_entry "$lib")"
  if [ -z "$entry" ]; then
    log "$lib: does not require $REQUIRED_VERSION, nothing to do"
    return 0
  fi
  read -r sec ent flags <<<"$entry"
  sec=$((sec)) ent=$((ent)) # readelf prints hex (0x...); bash arithmetic reads it
  if [ "$flags" = "WEAK" ]; then
    log "$lib: already patched ($REQUIRED_VERSION is weak)"
    return 0
  fi
  [ "$flags" = "none" ] || die "$lib: unexpected flags '$flags' on $REQUIRED_VERSION; not patching"
  # Elf64_Vernaux: vna_hash (4 bytes), vna_flags (2), vna_other (2), vna_name (4), vna_next (4).
  local at=$((sec + ent))
  local hash cur
  hash="$(od -A n -t x1 -j "$at" -N 4 "$lib" | tr -d ' \n')"
  cur="$(od -A n -t x1 -j "$((at + 4))" -N 2 "$lib" | tr -d ' \n')"
  [ "$hash" = "$REQUIRED_HASH_BYTES" ] || die "$lib: hash at offset $at is $hash, expected $REQUIRED_HASH_BYTES; not patching"
  [ "$cur" = "0000" ] || die "$lib: flags at offset $((at + 4)) are $cur, expected 0000; not patching"
  [ -w "$lib" ] || die "$lib: not writable"
  printf "\\x0$VER_FLG_WEAK" | dd of="$lib" bs=1 seek="$((at + 4))" count=1 conv=notrunc status=none
  flags="$(find_entry "$lib" | awk '{ print $3 }')"
  [ "$flags" = "WEAK" ] || die "$lib: patch did not take (flags now '$flags')"
  say "$lib: patched ($REQUIRED_VERSION marked weak; system libstdc++ ${std:-?} lacks it)"
}

found=0
for dir in "$@"; do
  if [ -f "$dir" ]; then
    files=("$dir")
  elif [ -d "$dir" ]; then
    mapfile -t files < <(find "$dir" -name libLibTorchSharp.so -type f 2>/dev/null | sort)
  else
    die "no such file or directory: $dir"
  fi
  for lib in "${files[@]}"; do
    [ -n "$lib" ] || continue
    found=$((found + 1))
    patch_one "$lib"
  done
done
if [ "$found" -eq 0 ]; then
  log "no libLibTorchSharp.so under $*, nothing to do"
fi
