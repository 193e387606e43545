# SPDX-License-Identifier: GPL-2.0
# bash completion for pageclock(8).
_pageclock()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local verb=${COMP_WORDS[1]} verbs="status faults cow stat pt tlb ad target clock pff top record report audit export"
	local i IFS=$' \t\n'

	if [ "$COMP_CWORD" = 1 ]; then
		COMPREPLY=($(compgen -W "$verbs help --help --version" -- "$cur"))
		return
	fi
	# stat/target add -- CMD ARGS: CMD as a command, then as CMD would.
	if [ "$verb" = stat ] || [ "$verb" = record ] ||
	   { [ "$verb" = target ] && [ "${COMP_WORDS[2]}" = add ]; }; then
		for ((i = 2; i < COMP_CWORD; i++)); do
			[ "${COMP_WORDS[i]}" = -- ] || continue
			if declare -F _command_offset >/dev/null; then
				_command_offset $((i + 1))
			elif [ $((i + 1)) = "$COMP_CWORD" ]; then
				COMPREPLY=($(compgen -c -- "$cur"))
			else
				COMPREPLY=($(compgen -f -- "$cur"))
			fi
			return
		done
	fi
	case $verb:$prev in
	*:--pid|*:-p|target:add)
		COMPREPLY=($(compgen -W "$(ls /proc | grep -E '^[0-9]+$')" -- "$cur"))
		return ;;
	target:rm)	# only targets (debugfs: readable as root)
		COMPREPLY=($(compgen -W "$(awk '$1 == "target" { print $2 }' \
			/sys/kernel/debug/pageclock/clock 2>/dev/null)" -- "$cur"))
		return ;;
	*:--comm)	# names may hold spaces: one per line
		IFS=$'\n'
		COMPREPLY=($(compgen -W "$(cat /proc/[0-9]*/comm 2>/dev/null | sort -u)" -- "$cur"))
		return ;;
	*:--sort)
		COMPREPLY=($(compgen -W "faults minor major cow tlb rss budget" -- "$cur"))
		return ;;
	*:--output|*:-o|*:--plot|export:--textfile)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	*:--budget|*:--min|*:--max|*:--step|*:--low|*:--high|*:--window|*:--interval|*:--sweeps|*:--count|export:--top|export:--listen)
		return ;;	# a number: nothing to offer
	esac
	case $verb in
	help) [ "$COMP_CWORD" = 2 ] && COMPREPLY=($(compgen -W "$verbs" -- "$cur")) ;;
	status) COMPREPLY=($(compgen -W "--json --pretty --help" -- "$cur")) ;;
	faults|tlb|cow) COMPREPLY=($(compgen -W "--pid --comm --interval --count --json --pretty --help" -- "$cur")) ;;
	pt|clock) COMPREPLY=($(compgen -W "--pid --comm --json --pretty --help" -- "$cur")) ;;
	ad) COMPREPLY=($(compgen -W "--pid --comm --flush --interval --sweeps --json --pretty --help" -- "$cur")) ;;
	pff) COMPREPLY=($(compgen -W "--pid --comm --json --pretty --plot --help" -- "$cur")) ;;
	top) COMPREPLY=($(compgen -W "--interval --sort --count --once --json --pretty --help" -- "$cur")) ;;
	stat) COMPREPLY=($(compgen -W "--interval --count --json --pretty --output --help --" -- "$cur")) ;;
	record) COMPREPLY=($(compgen -W "--output --interval --pid --comm --help --" -- "$cur")) ;;
	report) COMPREPLY=($(compgen -f -W "--json --pretty --plot --help" -- "$cur")) ;;
	audit) COMPREPLY=($(compgen -W "--pid --comm --rt --wx --guard --secrets --json --pretty --help" -- "$cur")) ;;
	export) COMPREPLY=($(compgen -W "--textfile --listen --interval --top --help" -- "$cur")) ;;
	target)
		case $COMP_CWORD:${COMP_WORDS[2]} in
		2:*) COMPREPLY=($(compgen -W "add rm list --help" -- "$cur")) ;;
		*:add) COMPREPLY=($(compgen -W "--budget --pff --no-pff --low --high --min --max --step --window --help --" -- "$cur")) ;;
		*:list) COMPREPLY=($(compgen -W "--json --pretty --help" -- "$cur")) ;;
		*:rm) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
		esac ;;
	esac
}
complete -F _pageclock pageclock
