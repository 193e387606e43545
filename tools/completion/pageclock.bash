# SPDX-License-Identifier: GPL-2.0
# bash completion for pageclock(8).
_pageclock()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local verbs="status faults cow stat pt tlb ad target clock pff top"

	if [ "$COMP_CWORD" = 1 ]; then
		COMPREPLY=($(compgen -W "$verbs --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--pid|add|rm)
		COMPREPLY=($(compgen -W "$(ls /proc | grep -E '^[0-9]+$')" -- "$cur"))
		return ;;
	--sort)
		COMPREPLY=($(compgen -W "faults minor major cow tlb rss budget" -- "$cur"))
		return ;;
	--output|--plot)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	esac
	case ${COMP_WORDS[1]} in
	status) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
	faults|cow|tlb) COMPREPLY=($(compgen -W "--pid --json --help" -- "$cur")) ;;
	pt|clock) COMPREPLY=($(compgen -W "--pid --json --help" -- "$cur")) ;;
	ad) COMPREPLY=($(compgen -W "--pid --flush --interval --sweeps --json --help" -- "$cur")) ;;
	pff) COMPREPLY=($(compgen -W "--pid --json --plot --help" -- "$cur")) ;;
	top) COMPREPLY=($(compgen -W "--interval --sort --count --once --json --help" -- "$cur")) ;;
	stat) COMPREPLY=($(compgen -W "--json --output --help --" -- "$cur")) ;;
	target)
		if [ "$COMP_CWORD" = 2 ]; then
			COMPREPLY=($(compgen -W "add rm list --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--budget --pff --no-pff --low --high --min --max --step --window --json" -- "$cur"))
		fi ;;
	esac
}
complete -F _pageclock pageclock
