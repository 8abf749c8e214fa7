/* `shoal help` and its writers: the same command table printed as terminal help, a man page,
 * the README's CLI reference (Markdown) and a bash completion script. */
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "cli/cli.h"

static const char OVERVIEW[] =
    "Shoal draws maritime-claims maps of the South China Sea from map files (YAML) and "
    "shapefiles, to PNG, PDF and SVG.\n\n"
    "A MAP or BATCH argument is a file path, or a name looked for along the search path: "
    "the current folder, then each folder of $SHOAL_PATH (colon-separated), then the "
    "installed styles (share/shoal/styles; in a build tree, the repository's styles/). "
    "'shoal list' shows every name found.";

static const char EXITS[] = "0   ok\n"
                            "64  usage error\n"
                            "65  bad map, style, batch or data file\n"
                            "66  missing input\n"
                            "70  internal error\n"
                            "73  cannot write an output\n"
                            "130 interrupted by SIGINT (Ctrl-C)\n"
                            "143 interrupted by SIGTERM";

/* The -h/--help every command has (not in the table: the option walker handles it). */
static const shoal_cli_opt HELP_OPT = {
    .lng = "--help", .shrt = "-h", .help = "print this help and exit"};

/* ---------------------------------------------------------------- terminal text */

/* text wrapped at 79 columns, each line indented by indent spaces; '\n\n' keeps paragraphs. */
static void wrap(FILE *out, const char *text, int indent)
{
  int col = 0;
  for (const char *p = text; *p;) {
    if (*p == '\n') {
      fputc('\n', out);
      col = 0;
      p++;
      continue;
    }
    size_t wl = strcspn(p, " \n");
    if (col > indent && col + 1 + (int)wl > 79) {
      fputc('\n', out);
      col = 0;
    }
    if (col == 0) {
      fprintf(out, "%*s", indent, "");
      col = indent;
    } else {
      fputc(' ', out);
      col++;
    }
    fprintf(out, "%.*s", (int)wl, p);
    col += (int)wl;
    p += wl;
    while (*p == ' ')
      p++;
  }
  if (col)
    fputc('\n', out);
}

/* Lines printed as they are, each indented. */
static void lines(FILE *out, const char *text, int indent)
{
  for (const char *p = text; *p;) {
    size_t n = strcspn(p, "\n");
    fprintf(out, "%*s%.*s\n", indent, "", (int)n, p);
    p += n + (p[n] == '\n');
  }
}

void shoal_cli_print_synopsis(FILE *out, const shoal_cli_cmd *cmd)
{
  const char *p = cmd->synopsis;
  for (bool first = true; *p; first = false) {
    size_t n = strcspn(p, "\n");
    fprintf(out, "%s%.*s\n", first ? "usage: " : "       ", (int)n, p);
    p += n + (p[n] == '\n');
  }
}

/* "-o, --output OUT" */
static void opt_label(char *buf, size_t n, const shoal_cli_opt *o)
{
  snprintf(buf, n, "%s%s%s%s%s", o->shrt ? o->shrt : "", o->shrt ? ", " : "", o->lng,
           o->arg ? " " : "", o->arg ? o->arg : "");
}

static void print_opt(FILE *out, const shoal_cli_opt *o)
{
  char label[128];
  opt_label(label, sizeof label, o);
  fprintf(out, "  %s\n", label);
  wrap(out, o->help, 6);
}

static void print_overview(FILE *out)
{
  fputs("usage: shoal <command> [options]\n\n", out);
  wrap(out, OVERVIEW, 0);
  fputs("\ncommands:\n", out);
  for (size_t i = 0; i < shoal_cli_ncommands; i++)
    fprintf(out, "  %-8s %s\n", shoal_cli_commands[i]->name, shoal_cli_commands[i]->summary);
  fputs("\n  shoal help COMMAND, shoal COMMAND --help: a command's options, exit codes and "
        "examples\n  shoal --version: Shoal's version and its libraries'\n\nexit codes:\n",
        out);
  lines(out, EXITS, 2);
}

void shoal_cli_print_help(FILE *out, const shoal_cli_cmd *cmd)
{
  if (!cmd) {
    print_overview(out);
    return;
  }
  fprintf(out, "shoal %s: %s\n\n", cmd->name, cmd->summary);
  shoal_cli_print_synopsis(out, cmd);
  fputc('\n', out);
  wrap(out, cmd->description, 0);
  fputs("\noptions:\n", out);
  for (size_t i = 0; i < cmd->nopts; i++)
    if (!cmd->opts[i].hidden)
      print_opt(out, &cmd->opts[i]);
  print_opt(out, &HELP_OPT);
  fputs("\nexit codes:\n", out);
  lines(out, cmd->exit_codes, 2);
  fputs("\nexamples:\n", out);
  for (size_t i = 0; i < 2; i++)
    fprintf(out, "  %s\n", cmd->examples[i]);
}

/* ---------------------------------------------------------------- man page */

/* Text for roff: backslashes and hyphens escaped, a leading dot or quote protected. */
static void roff(FILE *out, const char *s, size_t n)
{
  for (size_t i = 0; i < n && s[i]; i++) {
    if ((i == 0 || s[i - 1] == '\n') && (s[i] == '.' || s[i] == '\''))
      fputs("\\&", out);
    if (s[i] == '\\')
      fputs("\\e", out);
    else if (s[i] == '-')
      fputs("\\-", out);
    else
      fputc(s[i], out);
  }
}

static void roff_str(FILE *out, const char *s) { roff(out, s, strlen(s)); }

/* Paragraphs ('\n\n'-separated) as .PP blocks. */
static void roff_paras(FILE *out, const char *text)
{
  for (const char *p = text; *p;) {
    const char *e = strstr(p, "\n\n");
    size_t n = e ? (size_t)(e - p) : strlen(p);
    fputs(".PP\n", out);
    roff(out, p, n);
    fputc('\n', out);
    p += n + (e ? 2 : 0);
  }
}

/* Lines kept as they are (synopsis, exit codes, examples). */
static void roff_lines(FILE *out, const char *text)
{
  fputs(".nf\n", out);
  roff_str(out, text);
  fputs("\n.fi\n", out);
}

static void man_command(FILE *out, const shoal_cli_cmd *c)
{
  char label[128], title[32];
  size_t n = 0;
  for (; c->name[n] && n + 1 < sizeof title; n++)
    title[n] = (char)(c->name[n] >= 'a' && c->name[n] <= 'z' ? c->name[n] - 'a' + 'A' : c->name[n]);
  title[n] = 0;
  fprintf(out, ".SH \"SHOAL %s\"\n.PP\n", title);
  roff_str(out, c->summary);
  fputs(".\n.PP\n", out);
  roff_lines(out, c->synopsis);
  roff_paras(out, c->description);
  fputs(".PP\n.B Options\n", out);
  for (size_t i = 0; i < c->nopts + 1; i++) {
    const shoal_cli_opt *o = i < c->nopts ? &c->opts[i] : &HELP_OPT;
    if (o->hidden)
      continue;
    opt_label(label, sizeof label, o);
    fputs(".TP\n.B ", out);
    roff_str(out, label);
    fputc('\n', out);
    roff_str(out, o->help);
    fputc('\n', out);
  }
  fputs(".PP\n.B Exit codes\n", out);
  roff_lines(out, c->exit_codes);
  fputs(".PP\n.B Examples\n", out);
  for (size_t i = 0; i < 2; i++)
    roff_lines(out, c->examples[i]);
}

static void print_man(FILE *out)
{
  fprintf(out,
          ".\\\" shoal(1), written by 'shoal help --man' from the command table.\n"
          ".TH SHOAL 1 \"\" \"shoal %s\" \"User Commands\"\n"
          ".SH NAME\nshoal \\- command\\-line renderer for maritime\\-claims maps\n"
          ".SH SYNOPSIS\n.nf\n",
          SHOAL_VERSION);
  /* Every form of every command; continuation lines (indented) are left to each section. */
  for (size_t i = 0; i < shoal_cli_ncommands; i++)
    for (const char *s = shoal_cli_commands[i]->synopsis; *s;) {
      size_t n = strcspn(s, "\n");
      if (s[0] != ' ') {
        roff(out, s, n);
        fputc('\n', out);
      }
      s += n + (s[n] == '\n');
    }
  fputs(".fi\n.SH DESCRIPTION\n", out);
  roff_paras(out, OVERVIEW);
  for (size_t i = 0; i < shoal_cli_ncommands; i++)
    man_command(out, shoal_cli_commands[i]);
  fputs(".SH \"EXIT STATUS\"\n", out);
  roff_lines(out, EXITS);
  fputs(".SH ENVIRONMENT\n.TP\n.B SHOAL_PATH\nColon\\-separated folders searched for map "
        "names, batch names, includes and data files, after the current folder and before "
        "the installed styles.\n.SH FILES\n.TP\n.I share/shoal/styles\nThe installed maps, "
        "styles and batch files.\n.TP\n.I share/shoal/shapes\nThe installed shapefiles.\n",
        out);
}

/* ---------------------------------------------------------------- Markdown (README) */

static void md_command(FILE *out, const shoal_cli_cmd *c)
{
  char label[128];
  fprintf(out, "\n### shoal %s\n\n%s.\n\n```\n%s\n```\n\n%s\n\n", c->name, c->summary, c->synopsis,
          c->description);
  for (size_t i = 0; i < c->nopts + 1; i++) {
    const shoal_cli_opt *o = i < c->nopts ? &c->opts[i] : &HELP_OPT;
    if (o->hidden)
      continue;
    opt_label(label, sizeof label, o);
    fprintf(out, "- `%s`: %s\n", label, o->help);
  }
  fprintf(out, "\nExit codes:\n\n```\n%s\n```\n\nExamples:\n\n", c->exit_codes);
  if (c->examples_marker)
    fprintf(out, "<!-- %s -->\n", c->examples_marker);
  fprintf(out, "```sh\n%s\n%s\n```\n", c->examples[0], c->examples[1]);
}

static void print_markdown(FILE *out)
{
  fputs("<!-- Written by `shoal help --markdown` from the command table in src/cli/; "
        "tests/cli/test_cli_help.sh checks that it matches. -->\n\n```\n",
        out);
  for (size_t i = 0; i < shoal_cli_ncommands; i++)
    fprintf(out, "%s\n", shoal_cli_commands[i]->synopsis);
  fprintf(out, "```\n\n%s\n\nExit codes (sysexits):\n\n```\n%s\n```\n", OVERVIEW, EXITS);
  for (size_t i = 0; i < shoal_cli_ncommands; i++)
    md_command(out, shoal_cli_commands[i]);
  fputs("<!-- end of `shoal help --markdown` -->\n", out);
}

/* ---------------------------------------------------------------- bash completion */

/* The bash words that complete a value of this kind (cur is the word being completed). */
static const char *completer(shoal_cli_complete k)
{
  switch (k) {
  case SHOAL_COMPLETE_FILE: return "_shoal_files";
  case SHOAL_COMPLETE_MAP: return "_shoal_names map; _shoal_files yaml";
  case SHOAL_COMPLETE_BATCH: return "_shoal_names batch; _shoal_files yaml";
  case SHOAL_COMPLETE_IMAGE: return "_shoal_files png pdf svg";
  case SHOAL_COMPLETE_SHP: return "_shoal_files shp";
  case SHOAL_COMPLETE_DATA: return "_shoal_files csv shp";
  case SHOAL_COMPLETE_JSON: return "_shoal_files json";
  case SHOAL_COMPLETE_COMMAND: return "_shoal_words \"$_shoal_commands\"";
  default: return ":";
  }
}

static void bash_command(FILE *out, const shoal_cli_cmd *c)
{
  fprintf(out, "    %s)\n        case $prev in\n", c->name);
  for (size_t i = 0; i < c->nopts; i++) {
    const shoal_cli_opt *o = &c->opts[i];
    if (!o->arg || o->hidden)
      continue;
    fprintf(out, "            %s%s%s) %s; return ;;\n", o->shrt ? o->shrt : "", o->shrt ? "|" : "",
            o->lng, completer(o->complete));
  }
  fputs("        esac\n        if [[ $cur == -* ]]; then\n            _shoal_words \"", out);
  for (size_t i = 0; i < c->nopts; i++)
    if (!c->opts[i].hidden)
      fprintf(out, "%s%s ", c->opts[i].shrt ? c->opts[i].shrt : "", c->opts[i].shrt ? " " : "");
  for (size_t i = 0; i < c->nopts; i++)
    if (!c->opts[i].hidden)
      fprintf(out, "%s ", c->opts[i].lng);
  fprintf(out, "-h --help\"\n        else\n            %s\n        fi\n        ;;\n",
          completer(c->positional));
}

static void print_bash(FILE *out)
{
  fputs("# bash completion for shoal, written by 'shoal help --bash-completion' from the\n"
        "# command table. Map and batch names come from 'shoal list --names' at completion "
        "time.\n\n_shoal_commands=\"",
        out);
  for (size_t i = 0; i < shoal_cli_ncommands; i++)
    fprintf(out, "%s%s", i ? " " : "", shoal_cli_commands[i]->name);
  fputs("\"\n\n"
        "_shoal_words() {\n"
        "    local IFS=$' \\t\\n'\n"
        "    COMPREPLY+=($(compgen -W \"$1\" -- \"$cur\"))\n"
        "}\n\n"
        "# Folders, and files with one of the extensions given (any file when none is).\n"
        "_shoal_files() {\n"
        "    local IFS=$'\\n' e\n"
        "    compopt -o filenames 2>/dev/null\n"
        "    COMPREPLY+=($(compgen -d -- \"$cur\"))\n"
        "    if [[ $# -eq 0 ]]; then COMPREPLY+=($(compgen -f -- \"$cur\")); fi\n"
        "    for e in \"$@\"; do COMPREPLY+=($(compgen -f -X \"!*.$e\" -- \"$cur\")); done\n"
        "}\n\n"
        "_shoal_names() {\n"
        "    local IFS=$'\\n'\n"
        "    COMPREPLY+=($(compgen -W \"$(\"$shoal\" list --names \"$1\" 2>/dev/null)\" -- "
        "\"$cur\"))\n"
        "}\n\n"
        "_shoal() {\n"
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "    local shoal=${COMP_WORDS[0]}\n"
        "    COMPREPLY=()\n"
        "    if [[ $COMP_CWORD -eq 1 ]]; then\n"
        "        _shoal_words \"$_shoal_commands --help --version\"\n"
        "        return\n"
        "    fi\n"
        "    case ${COMP_WORDS[1]} in\n",
        out);
  for (size_t i = 0; i < shoal_cli_ncommands; i++)
    bash_command(out, shoal_cli_commands[i]);
  fputs("    esac\n} &&\n    complete -F _shoal shoal\n", out);
}

/* ---------------------------------------------------------------- the help command */

enum { O_MAN, O_MARKDOWN, O_BASH };

static const shoal_cli_opt help_opts[] = {
    [O_MAN] = {.lng = "--man",
               .help = "write the man page (roff) of every command",
               .hidden = true},
    [O_MARKDOWN] = {.lng = "--markdown",
                    .help = "write the README's CLI reference",
                    .hidden = true},
    [O_BASH] = {.lng = "--bash-completion",
                .help = "write the bash completion script",
                .hidden = true},
};

typedef struct help_args {
  const shoal_cli_cmd *topic;
  int format; /* -1 text, else O_MAN... */
} help_args;

static int on_help(const shoal_cli_cmd *cmd, int k, const char *val, void *args)
{
  help_args *a = args;
  if (k >= 0) {
    a->format = k;
    return 0;
  }
  if (a->topic)
    return shoal_cli_usage_error(cmd, "one command at a time (got '%s' too)", val);
  if (!(a->topic = shoal_cli_find(val))) {
    const char *names[32];
    for (size_t i = 0; i < shoal_cli_ncommands && i < 32; i++)
      names[i] = shoal_cli_commands[i]->name;
    const char *s = shoal_suggest(val, names, shoal_cli_ncommands);
    if (s)
      return shoal_cli_usage_error(cmd, "unknown command '%s' (did you mean '%s'?)", val, s);
    return shoal_cli_usage_error(cmd, "unknown command '%s'", val);
  }
  return 0;
}

static int parse_help(const shoal_cli_cmd *cmd, const shoal_cli *cli, int argc, char **argv,
                      void *args)
{
  help_args *a = args;
  a->format = -1;
  return shoal_cli_walk(cmd, argc, argv, on_help, a);
}

static int run_help(const shoal_cli *cli, void *args)
{
  const help_args *a = args;
  switch (a->format) {
  case O_MAN: print_man(stdout); break;
  case O_MARKDOWN: print_markdown(stdout); break;
  case O_BASH: print_bash(stdout); break;
  default: shoal_cli_print_help(stdout, a->topic); break;
  }
  return fflush(stdout) == 0 && !ferror(stdout) ? 0 : SHOAL_ERR_CANTCREAT;
}

const shoal_cli_cmd shoal_cli_help = {
    .name = "help",
    .summary = "print the help of shoal or of one command",
    .synopsis = "shoal help [COMMAND]",
    .description = "Without COMMAND, lists the commands. With one, prints its synopsis, every "
                   "option with its argument and default, its exit codes and examples: the same "
                   "as 'shoal COMMAND --help'. The man page (man shoal) holds every command's "
                   "help on one page.",
    .opts = help_opts,
    .nopts = sizeof help_opts / sizeof help_opts[0],
    .exit_codes = "0   help printed\n"
                  "64  unknown command",
    .examples = {"shoal help", "shoal help render"},
    .positional = SHOAL_COMPLETE_COMMAND,
    .args_size = sizeof(help_args),
    .parse = parse_help,
    .run = run_help,
};
