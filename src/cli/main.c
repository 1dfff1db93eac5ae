/* main.c: the command line, subcommands and exit status; nothing else. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "run/ceremony.h"
#include "base/err.h"
#include "base/util.h"
#include "cli/describe-cmd.h"
#include "cli/lint-cmd.h"
#include "lint/lint.h"
#include "record/tscheck.h"
#include "record/tsdiff.h"
#include "record/tsshow.h"
#include "run/pin.h"
#include "run/trial.h"
#include "run/verify.h"
#include "script/certprofile.h"

static int cmd_run(int argc, char **argv);
static int cmd_check(int argc, char **argv);
static int cmd_rehearse(int argc, char **argv);
static int cmd_diff(int argc, char **argv);
static int cmd_lint(int argc, char **argv);
static int cmd_transcript(int argc, char **argv);
static int cmd_verify(int argc, char **argv);
static int cmd_describe(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *usage;
	const char *description;
	const char *options;	/* for ceremony COMMAND --help; NULL: the command prints its own */
} commands[] = {
	{ "run", cmd_run, "run [--yes] [--site FILE] [--transcript T|--resume T] [--at TIME] "
	    "[--allow-literal-pin] SCRIPT|--config FILE", "validate SCRIPT, then run the ceremony; --resume T "
	    "continues an interrupted one, --at TIME rehearses that day on SoftHSM",
	    "  --yes                answer yes to every confirmation (rehearsals, CI)\n"
	    "  --site FILE          where each token role of SCRIPT is here: module, token,\n"
	    "                       PIN source (the script stays byte for byte the same)\n"
	    "  --transcript T       write the transcript to T (default: SCRIPT without .yaml,\n"
	    "                       plus .transcript.jsonl)\n"
	    "  --resume T           continue the interrupted ceremony transcript T records\n"
	    "  --at TIME            judge dates at TIME, UTC 'YYYY-MM-DD HH:MM:SS'; SoftHSM\n"
	    "                       rehearsal tokens only\n"
	    "  --allow-literal-pin  accept a PIN written in the script for a token that is not\n"
	    "                       a SoftHSM rehearsal token\n" },
	{ "check", cmd_check, "check [--ready] [--site FILE] [--transcript PATH] [--at TIME] SCRIPT|--config FILE",
	    "validate SCRIPT, rehearse and lint every certificate, print the plan; no HSM is opened",
	    "  --site FILE          the site file a run will take (checked with the script)\n"
	    "  --ready              this machine must be ready to run it: a PKCS#11 module, a\n"
	    "                       PIN source, an output directory or an input file that is\n"
	    "                       missing is an error, not a 'not ready' line\n"
	    "  --transcript PATH    the transcript path a run would write (checked to be new)\n"
	    "  --at TIME            judge dates at TIME, UTC 'YYYY-MM-DD HH:MM:SS'\n" },
	{ "rehearse", cmd_rehearse, "rehearse [--site FILE] [--at TIME] [--keep DIR] SCRIPT|--config FILE",
	    "run the whole ceremony on throwaway SoftHSM tokens, outputs elsewhere; check it, "
	    "remove it, print what the real run will do",
	    "  --site FILE          the site file the real run will take (checked and shown;\n"
	    "                       the rehearsal's tokens are throwaway whatever it says)\n"
	    "  --at TIME            judge dates at TIME, UTC 'YYYY-MM-DD HH:MM:SS': the\n"
	    "                       planned day of the ceremony\n"
	    "  --keep DIR           a new directory that keeps the rehearsal's transcript and\n"
	    "                       outputs (default: a temporary one, removed)\n" },
	{ "diff-transcripts", cmd_diff, "diff-transcripts A B",
	    "what differs between two transcripts of one script (a rehearsal and the real run) "
	    "beyond keys, signatures, random values, token identity and times; exit 1 if "
	    "anything does", "" },
	{ "lint", cmd_lint, "lint [--profile P] [--issuer CERT] [--at TIME] [--json] FILE...",
	    "lint certificates, CRLs, OCSP responses", NULL },
	{ "transcript", cmd_transcript, "transcript verify [--outputs] [--dir DIR] [--digest D] FILE",
	    "check a transcript offline (also: transcript show [--html] FILE)",
	    "  verify FILE          the hash chain, every record, every signature\n"
	    "    --outputs          also every output file against its recorded SHA-256;\n"
	    "                       relative paths in the directory the ceremony ran in,\n"
	    "                       else beside the transcript\n"
	    "    --dir DIR          resolve relative output paths in DIR instead\n"
	    "    --digest D         the final digest the witnesses wrote down (hex or PGP words)\n"
	    "  show FILE            the verified transcript for a terminal or a printer\n"
	    "    --html             as one self-contained HTML page for the witnesses\n" },
	{ "verify", cmd_verify, "verify SCRIPT [--transcript FILE]",
	    "rebuild every certificate and CSR of SCRIPT from its existing files, without any "
	    "HSM, compare each byte for byte with its output and verify its signature",
	    "  --transcript FILE    the run's transcript: checked, and its serials and keys\n"
	    "                       used (else the serials the script pins, or the files')\n"
	    "Exit status: 0 every artefact is what the script makes; 1 a difference, each\n"
	    "named by field; 2 a bad script, a missing input, bad arguments.\n" },
	{ "describe", cmd_describe, "describe CERT [--issuer CERT]",
	    "print a native script whose step makes CERT again, byte for byte, naming CERT "
	    "as its output (check it with ceremony verify)",
	    "  --issuer CERT        the issuer's certificate (needed unless CERT is self-signed)\n"
	    "Exit status: 0 the script says all of CERT; 1 something in CERT cannot be\n"
	    "expressed (named on stderr and in the script); 2 bad arguments or files.\n" },
	{ "version", cmd_version, "version", "print the version", "" },
	{ "help", cmd_help, "help", "print this help", "" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: ceremony COMMAND [ARGS]\n"
	    "       ceremony --config FILE [--yes] [--site SITE] [--transcript T|--resume T] [--at TIME]\n"
	    "           (a Boulder config; Boulder's -config FILE works too)\n"
	    "       ceremony COMMAND --help\n\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  ceremony %s\n      %s\n", commands[i].usage, commands[i].description);
	fprintf(f, "\nExit status: 0 done; 2 usage or script error (nothing touched); "
	    "1 the ceremony failed.\nSee ceremony(1) and " CER_DOCDIR "/script.md.\n");
}

/* ceremony COMMAND --help: its usage line, what it does and its options. */
static int
command_help(size_t i)
{
	printf("usage: ceremony %s\n\n%s\n", commands[i].usage, commands[i].description);
	if (commands[i].options[0] != '\0')
		printf("\n%s", commands[i].options);
	printf("\nSee ceremony(1) and " CER_DOCDIR "/script.md.\n");
	return CER_OK;
}

/* --help or -h among a command's arguments (before a lone "--"). */
static int
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

enum command { RUN, CHECK, REHEARSE };

/* --at: a UTC time, read by the script's own date parser (no 2026-11-31, no :60). */
static int
parse_at(const char *arg, time_t *at)
{
	struct cer_yaml y = { "--at" };
	struct cer_yaml_node n = { .kind = CER_YAML_SCALAR, .str = (char *)arg,
	    .len = strlen(arg), .plain = 1 };

	if (cer_certprofile_time(&y, &n, "--at", at) != CER_OK)
		return cer_err_restore(CER_ERR_USAGE, cer_err_detail());
	return CER_OK;
}

/* A path option's value: an empty one names no file (and would fail only after login). */
static int
path_arg(const char *opt, const char *arg, const char **out)
{
	if (arg[0] == '\0')
		return cer_fail(CER_ERR_USAGE, "%s needs a path, not an empty string", opt);
	*out = arg;
	return CER_OK;
}

/* An option only some commands take. */
static int
option_of(enum command cmd, int c)
{
	switch (c) {
	case 'r':
		return cmd == CHECK ? CER_OK : cer_fail(CER_ERR_USAGE,
		    "--ready is an option of ceremony check");
	case 'k':
		return cmd == REHEARSE ? CER_OK : cer_fail(CER_ERR_USAGE,
		    "--keep is an option of ceremony rehearse");
	case 'y': case 't': case 'L': case 'R':
		return cmd != REHEARSE ? CER_OK : cer_fail(CER_ERR_USAGE, "ceremony rehearse "
		    "takes --site, --at and --keep (it answers yes, and its transcript goes "
		    "with its outputs)");
	default:
		return CER_OK;
	}
}

/*
 * The options of run, check and rehearse; want_config: Boulder's form,
 * ceremony --config FILE, where Go's single-dash spelling (-config FILE,
 * as Boulder's test/certs/webpki.go runs it) is accepted too.
 */
static int
parse_options(int argc, char **argv, struct cer_options *o, int want_config, enum command cmd)
{
	static const struct option longopts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "transcript", required_argument, NULL, 't' },
		{ "allow-literal-pin", no_argument, NULL, 'L' },
		{ "resume", required_argument, NULL, 'R' },
		{ "at", required_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		{ "ready", no_argument, NULL, 'r' },
		{ "site", required_argument, NULL, 's' },
		{ "keep", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	int c, r = CER_OK;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((c = want_config ? getopt_long_only(argc, argv, "+:", longopts, NULL) :
	    getopt_long(argc, argv, "+:", longopts, NULL)) != -1) {
		if ((r = option_of(cmd, c)) != CER_OK)
			return r;
		switch (c) {
		case 'y': o->yes = 1; break;
		case 'r': o->ready = 1; break;
		case 't': r = path_arg("--transcript", optarg, &o->transcript_path); break;
		case 's': r = path_arg("--site", optarg, &o->site_path); break;
		case 'k': r = path_arg("--keep", optarg, &o->keep_dir); break;
		case 'L': o->allow_literal_pin = 1; break;
		case 'R': r = path_arg("--resume", optarg, &o->resume_path); break;
		case 'a':
			r = parse_at(optarg, &o->at);
			o->has_at = 1;
			break;
		case 'c':	/* a Boulder config, as run, check and rehearse's SCRIPT */
			r = path_arg("--config", optarg, &o->script_path);
			break;
		case ':':
			return cer_fail(CER_ERR_USAGE, "%s needs a value; see ceremony help",
			    argv[optind - 1]);
		default:
			return cer_fail(CER_ERR_USAGE, "unknown option %s; see ceremony help",
			    argv[optind - 1]);
		}
		if (r != CER_OK)
			return r;
	}
	if (o->resume_path != NULL && o->transcript_path != NULL)
		return cer_fail(CER_ERR_USAGE, "--resume continues the transcript it names; "
		    "drop --transcript");
	if (!want_config && o->script_path != NULL) {
		if (optind != argc)
			return cer_fail(CER_ERR_USAGE, "--config names the config: give no SCRIPT "
			    "beside it");
	} else if (!want_config) {
		if (optind != argc - 1)
			return cer_fail(CER_ERR_USAGE, "expected one SCRIPT argument (or --config "
			    "FILE); see ceremony help");
		o->script_path = argv[optind];
	} else if (optind != argc || o->script_path == NULL) {
		return cer_fail(CER_ERR_USAGE, "usage: ceremony --config FILE [--yes] [--transcript PATH]");
	}
	return CER_OK;
}

/* run, check and rehearse: their options, then the command. */
static int
ceremony_command(int argc, char **argv, enum command cmd)
{
	struct cer_options o;
	int r;

	if ((r = parse_options(argc, argv, &o, 0, cmd)) != CER_OK)
		return r;
	return cmd == RUN ? cer_ceremony_run(&o) : cmd == CHECK ? cer_ceremony_check(&o) :
	    cer_trial_run(&o);
}

static int
cmd_run(int argc, char **argv)
{
	return ceremony_command(argc, argv, RUN);
}

static int
cmd_check(int argc, char **argv)
{
	return ceremony_command(argc, argv, CHECK);
}

static int
cmd_rehearse(int argc, char **argv)
{
	return ceremony_command(argc, argv, REHEARSE);
}

/* ceremony diff-transcripts A B */
static int
cmd_diff(int argc, char **argv)
{
	if (argc != 3)
		return cer_fail(CER_ERR_USAGE, "usage: ceremony diff-transcripts A B");
	return cer_tsdiff_run(argv[1], argv[2]);
}

/* ceremony transcript verify|show [OPTIONS] FILE */
static int
cmd_transcript(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "outputs", no_argument, NULL, 'o' },
		{ "dir", required_argument, NULL, 'd' },
		{ "digest", required_argument, NULL, 'D' },
		{ "html", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cer_tscheck_opts o = { 0 };
	int c, verify, html = 0;

	if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "show") != 0))
		return cer_fail(CER_ERR_USAGE, "usage: ceremony transcript verify [--outputs] "
		    "[--dir DIR] [--digest D] FILE | show [--html] FILE");
	verify = strcmp(argv[1], "verify") == 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "+:", longopts, NULL)) != -1) {
		if (c == 'h' && !verify)
			html = 1;
		else if (c == 'o' && verify)
			o.outputs = 1;
		else if (c == 'd' && verify)
			o.dir = optarg;
		else if (c == 'D' && verify)
			o.digest = optarg;
		else
			return cer_fail(CER_ERR_USAGE, "transcript %s: %s %s; see ceremony help",
			    argv[1], argv[optind], c == ':' ? "needs a value" : "is not an option here");
	}
	if (optind != argc - 2)
		return cer_fail(CER_ERR_USAGE, "transcript %s: expected one FILE", argv[1]);
	return verify ? cer_tscheck_run(argv[argc - 1], &o) : cer_tsshow_run(argv[argc - 1], html);
}

/* One FILE and at most one --NAME VALUE option, in either order (verify, describe). */
static int
file_and_option(int argc, char **argv, const char *name, const char **file, const char **value)
{
	const struct option longopts[] = {
		{ name, required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*value = NULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c == ':')
			return cer_fail(CER_ERR_USAGE, "%s needs a value; see ceremony %s --help",
			    argv[optind - 1], argv[0]);
		if (c != 'o')
			return cer_fail(CER_ERR_USAGE, "unknown option %s; see ceremony %s --help",
			    argv[optind - 1], argv[0]);
		*value = optarg;
	}
	if (optind != argc - 1)
		return cer_fail(CER_ERR_USAGE, "%s: expected one %s; see ceremony %s --help",
		    argv[0], strcmp(argv[0], "verify") == 0 ? "SCRIPT" : "CERT", argv[0]);
	*file = argv[optind];
	return CER_OK;
}

static int
cmd_verify(int argc, char **argv)
{
	const char *script, *transcript;
	int r;

	if ((r = file_and_option(argc, argv, "transcript", &script, &transcript)) != CER_OK)
		return r;
	return cer_verify_run(script, transcript);
}

static int
cmd_describe(int argc, char **argv)
{
	const char *cert, *issuer;
	int r;

	if ((r = file_and_option(argc, argv, "issuer", &cert, &issuer)) != CER_OK)
		return r;
	return cer_describe_run(cert, issuer);
}

static int
cmd_lint(int argc, char **argv)
{
	return cer_lint_main(argc, argv);
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("ceremony %s (%s)\n", CER_VERSION, OpenSSL_version(OPENSSL_VERSION));
	return CER_OK;
}

static int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return CER_OK;
}

/*
 * run, rehearse, check and Boulder's form read PINs (check takes env:
 * ones) or load PKCS#11 modules, closed code in this process: no core
 * file and no ptrace may see either, from before the first is touched.
 */
static int
reads_secrets(const char *cmd)
{
	static const char *const with[] = { "run", "rehearse", "check", "--config", "-config",
	    "--yes" };
	size_t i;

	for (i = 0; i < sizeof(with) / sizeof(with[0]); i++)
		if (strcmp(cmd, with[i]) == 0 || (with[i][0] == '-' &&
		    strncmp(cmd, with[i], strlen(with[i])) == 0 && cmd[strlen(with[i])] == '='))
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct cer_options o;
	size_t i;
	int r = CER_ERR_USAGE;

	if (argc < 2) {
		fprintf(stderr, "ceremony: no command; run 'ceremony help' for the commands\n");
		return 2;
	}
	if (reads_secrets(argv[1]) && (r = cer_pin_protect_process()) != CER_OK) {
		fprintf(stderr, "ceremony: %s\n", cer_err_detail());
		return cer_err_exit_status(r);
	}
	if (strcmp(argv[1], "--config") == 0 || strncmp(argv[1], "--config=", 9) == 0 ||
	    strcmp(argv[1], "-config") == 0 || strncmp(argv[1], "-config=", 8) == 0 ||
	    strcmp(argv[1], "--yes") == 0) {
		if (wants_help(argc, argv))
			r = command_help(0);	/* run's: --config takes run's options */
		else if ((r = parse_options(argc, argv, &o, 1, RUN)) == CER_OK)
			r = cer_ceremony_run(&o);
	} else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		r = cmd_help(argc, argv);
	} else if (strcmp(argv[1], "--version") == 0) {
		r = cmd_version(argc, argv);
	} else {
		for (i = 0; i < NCOMMANDS; i++)
			if (strcmp(argv[1], commands[i].name) == 0)
				break;
		if (i == NCOMMANDS)
			r = cer_fail(CER_ERR_USAGE, "unknown command '%s'; see ceremony help", argv[1]);
		else if (commands[i].options != NULL && wants_help(argc - 1, argv + 1))
			r = command_help(i);
		else
			r = commands[i].fn(argc - 1, argv + 1);
	}
	cer_pin_forget();
	fflush(stdout);
	/* the detail may quote a script, a certificate or a transcript: escaped */
	if (r != CER_OK) {
		fputs("ceremony: ", stderr);
		cer_fputs_safe(stderr, cer_err_detail());
		fputc('\n', stderr);
	}
	return cer_err_exit_status(r);
}
