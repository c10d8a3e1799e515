#!/bin/bash
# The context and level methods and instance labels, through the SELinux
# seam: this machine cannot boot SELinux, so the test build of the helper
# takes a session context from the test and fake libselinux answers
# (polydir label system_u:object_r:tmp_t:s0; compute_member gives
# user_u:object_r:user_tmp_t with the session's range).
. "$(dirname "$0")/session_lib.sh"
HELPER=$TEST_HELPER # fault injection (hook)

mkdir -p "$S/t" && chmod 1777 "$S/t"
pam_conf se "debug"

# expect NAME SCON METHOD WANT-INSTANCE WANT-LABEL [ARGS]
expect() {
	local name=$1 scon=$2 method=$3 want=$4 label=$5 args=${6:-} out logs
	pam_conf se "debug $args"
	echo "$S/t $S/t-inst/ $method" >"$CONF"
	rm -rf "$S/t-inst"
	hook request "selinux=$scon"
	log_mark
	out=$(session polyns-alice se -- findmnt -n -o SOURCE "$S/t")
	logs=$(log_since)
	unhook
	if ! grep -qF "[/t-inst/$want]" <<<"$out"; then
		not_ok "$name" "want instance $want" "$out"
	elif ! grep -qF "test: label $label" <<<"$logs"; then
		not_ok "$name" "want label $label" "$logs"
	else
		ok "$name"
	fi
}

expect selinux_context_method_names_by_computed_context user_u:user_r:user_t:s0 context \
	"user_u:object_r:user_tmp_t:s0_polyns-alice" "user_u:object_r:user_tmp_t:s0"
expect selinux_context_shared_omits_user user_u:user_r:user_t:s0 context:shared \
	"user_u:object_r:user_tmp_t:s0" "user_u:object_r:user_tmp_t:s0"
expect selinux_level_method_takes_session_range user_u:user_r:user_t:s0-s0:c0.c1023 level \
	"system_u:object_r:tmp_t:s0-s0:c0.c1023_polyns-alice" "system_u:object_r:tmp_t:s0-s0:c0.c1023"
expect selinux_user_method_labels_instance_like_polydir user_u:user_r:user_t:s0 user \
	"polyns-alice" "system_u:object_r:tmp_t:s0"
want=$(printf %s "user_u:object_r:user_tmp_t:s0_polyns-alice" | md5sum | cut -c1-32)
expect selinux_context_name_with_gen_hash user_u:user_r:user_t:s0 context "$want" \
	"user_u:object_r:user_tmp_t:s0" gen_hash
long="user_u:user_r:user_t:s0-s15:c0.c1023,c1024.c2047,c2048.c3071,c3072.c4095"
full="user_u:object_r:user_tmp_t:s0-s15:c0.c1023,c1024.c2047,c2048.c3071,c3072.c4095_polyns-alice"
short="$(printf %s "$full" | cut -c1-47)_$(printf %s "$full" | md5sum | cut -c1-32)"
[ ${#full} -gt 80 ] || not_ok selinux_long_context_shortened_with_md5 "test string too short"
expect selinux_long_context_shortened_with_md5 "$long" context "$short" \
	"user_u:object_r:user_tmp_t:s0-s15:c0.c1023,c1024.c2047,c2048.c3071,c3072.c4095"

# Without a session context, context/level fall back to the user method.
echo "$S/t $S/t-inst/ context" >"$CONF"
pam_conf se ""
rm -rf "$S/t-inst"
out=$(session polyns-alice se -- findmnt -n -o SOURCE "$S/t")
grep -qF "[/t-inst/polyns-alice]" <<<"$out" && ok selinux_off_context_falls_back_to_user ||
	not_ok selinux_off_context_falls_back_to_user "$out"

# A session computes at most 8 context-method instance contexts (one
# selinuxfs "member" descriptor each, opened before the sandbox): a ninth is
# refused by the plan, before any namespace or instance is made.  (The seam's
# fake computation uses no descriptor: the plan's count is what is tested.)
contexts() { # N: N context polydirs
	: >"$CONF"
	for i in $(seq "$1"); do
		mkdir -p "$S/c$i" && chmod 1777 "$S/c$i"
		rm -rf "$S/c$i-inst"
		echo "$S/c$i $S/c$i-inst/ context" >>"$CONF"
	done
}
pam_conf se "debug"
contexts 8
hook request "selinux=user_u:user_r:user_t:s0"
out8=$(session polyns-alice se -- true)
contexts 9
log_mark
out9=$(session polyns-alice se -- true)
logs=$(log_since)
unhook
grep -q '^open: Success' <<<"$out8" && grep -q '^open: System error' <<<"$out9" &&
	grep -q "more than 8 context polydirs apply to polyns-alice" <<<"$logs" &&
	[ -z "$(ls -d "$S"/c*-inst 2>/dev/null)" ] &&
	ok selinux_ninth_context_polydir_refused_before_anything_is_made ||
	not_ok selinux_ninth_context_polydir_refused_before_anything_is_made "$out8" "$out9" "$logs" \
		"$(ls -d "$S"/c*-inst 2>&1)"

tap_done
