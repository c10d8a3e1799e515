/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RELRO for the static PIE.  musl's start file (rcrt1.o) relocates the
 * program itself and, having no dynamic loader, leaves the PT_GNU_RELRO
 * segment writable; glibc's static start made it read-only.  So the helper
 * does it first thing: what needed relocating and is constant from then on
 * (function-pointer tables such as the SELinux operations, .init_array, the
 * GOT) becomes read-only, as -z relro promises.
 */
#define _GNU_SOURCE
#include "relro.h"

#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>

/* The ELF header as loaded (the linker's symbol): the program's phdrs follow it. */
extern const ElfW(Ehdr) __ehdr_start;

int relro_seal(void)
{
	const ElfW(Ehdr) *eh = &__ehdr_start;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);
	const char *base = (const char *)eh, *start, *end;
	uintptr_t page = (uintptr_t)getauxval(AT_PAGESZ);

	if (page == 0)
		return -ENOEXEC;
	for (unsigned int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			base = (const char *)eh - ph[i].p_vaddr;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_GNU_RELRO)
			continue;
		/* Whole pages: the linker ends the segment on a page boundary. */
		start = base + ph[i].p_vaddr;
		start -= (uintptr_t)start & (page - 1);
		end = base + ph[i].p_vaddr + ph[i].p_memsz;
		end -= (uintptr_t)end & (page - 1);
		if (end > start && mprotect((void *)start, (size_t)(end - start), PROT_READ) < 0)
			return -errno;
	}
	return 0;
}
