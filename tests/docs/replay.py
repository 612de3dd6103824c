#!/usr/bin/env python3
"""tests/docs/replay.py — replays the code blocks of a Markdown page as a reader
following it would, so the page cannot drift from what the tools do.

    replay.py PAGE START_DIR [--agdfc AGDFC --runtime DIR]

The blocks are taken in order; START_DIR is the directory the first command
runs in, and a `cd` or an `export` carries over to the next block, as in the
reader's shell (HOME comes from the environment).  What a block is follows the pages' own conventions:

- a block whose first line is a comment naming a file (`// shout.agdf — ...`,
  `# Makefile — ...`) is that file's whole text: it is written in the current
  directory.  A named .agdf file is also compiled with agdfc and its C with
  cc -c, as a complete graph;
- a ```c block whose first line is `node NAME...` replaces the declaration of
  node NAME in the last .agdf file written (the declaration runs from its
  `node NAME` line to the next blank line);
- a ```sh block is run with bash and its exit status (its last command's)
  must be 0 (a command that fails on purpose is followed by `; echo "status $?"`);
- a plain ``` block right after a ```sh block (nothing but blank lines between)
  is what that block prints, standard output and standard error together;
- a ```c block that holds agdf syntax (a line starting `node`, `graph` or `%{`)
  and none of the above is an error, unless the line before its fence is
  `<!-- docs-test: fragment -->`, which marks an incomplete excerpt;
- `<!-- docs-test: skip -->` before a fence skips that block (commands that
  are not part of the page's story, such as `make test` itself);
- `<!-- docs-test: files -->` before a plain block: the first word of each line
  is a path ($HOME expanded) that must exist at that point;
- any other block (plain C, syntax outlines) is prose and not checked.

Prints one `PASS NAME` / `FAIL NAME` line per checked block, NAME being the
page and the line of its fence; a FAIL is followed by indented details.  After
a failed command the replay of that page stops (later steps depend on it).
"""
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r'^(\s*)```(\S*)\s*$')
FILE_LINE = re.compile(r'^(?://|#)\s*([\w./-]+\.(?:agdf|c|h)|[\w.-]*[Mm]akefile)(?:\s+—.*)?\s*$')
NODE_LINE = re.compile(r'^node\s+(\w+)')
AGDF_SYNTAX = re.compile(r'^\s*(node\s+\w+\s*\(|graph\s+\w+|%\{|%header\{)', re.M)


class Block:
    def __init__(self, lang, text, line, marker, after_sh):
        self.lang = lang        # the fence's info string: sh, c, make, ''
        self.text = text        # the block's text, indentation removed, ends with \n
        self.line = line        # line number of the opening fence
        self.marker = marker    # the docs-test marker before it, or None
        self.after_sh = after_sh  # only blank lines since the previous block, a sh one


def blocks_of(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    out, i, last_end, last_lang = [], 0, -10, None
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang = m.group(1), m.group(2)
        j = i + 1
        while j < len(lines) and not re.match(r'^\s*```\s*$', lines[j]):
            j += 1
        body = [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in lines[i + 1:j]]
        prev = lines[i - 1].strip() if i > 0 else ''
        mk = re.match(r'^<!-- docs-test: (\w+) -->$', prev)
        between = lines[last_end + 1:i] if last_end >= 0 else ['x']
        after_sh = last_lang == 'sh' and all(not l.strip() for l in between)
        out.append(Block(lang, '\n'.join(body) + '\n', i + 1, mk.group(1) if mk else None, after_sh))
        last_end, last_lang = j, lang
        i = j + 1
    return out


class Replay:
    def __init__(self, page, start, agdfc, runtime):
        self.page, self.cwd, self.agdfc, self.runtime = page, start, agdfc, runtime
        self.last_agdf = None       # path of the last .agdf file written
        self.last_out = None        # what the last sh block printed
        self.stopped = False
        self.state = None           # prefix of the files that carry the shell's state

    def result(self, b, what, ok, details=''):
        name = '%s:%d %s' % (self.page, b.line, what)
        print(('PASS ' if ok else 'FAIL ') + name)
        if not ok:
            for l in details.rstrip('\n').split('\n')[-25:]:
                print('    ' + l)

    def write_file(self, b, name):
        path = os.path.join(self.cwd, name)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(b.text)
        if name.endswith('.agdf'):
            self.last_agdf = path
            self.compile_agdf(b, path)
        else:
            self.result(b, 'file ' + name, True)

    def compile_agdf(self, b, path):
        """A complete graph: agdfc must accept it and cc compile its C."""
        out = os.path.join(os.path.dirname(path), '.docs-test-' + os.path.basename(path)[:-5])
        cmds = [[self.agdfc, '--main', path, '-o', out + '.c'],
                ['cc', '-std=c99', '-Wall', '-Wextra', '-Wpedantic', '-Werror',
                 '-I' + self.runtime, '-c', out + '.c', '-o', out + '.o']]
        log, ok = '', True
        for c in cmds:
            p = subprocess.run(c, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            log += '$ ' + ' '.join(c) + '\n' + p.stdout
            if p.returncode != 0:
                ok = False
                break
        for ext in ('.c', '.h', '.o'):
            if os.path.exists(out + ext):
                os.remove(out + ext)
        self.result(b, 'graph ' + os.path.basename(path) + ' compiles', ok, log)

    def replace_node(self, b, name):
        if not self.last_agdf:
            self.result(b, 'node ' + name, False, 'no .agdf file written before this block')
            return
        lines = open(self.last_agdf, encoding='utf-8').read().split('\n')
        start = next((k for k, l in enumerate(lines) if re.match(r'^node\s+%s\b' % name, l)), None)
        if start is None:
            self.result(b, 'node ' + name, False, 'no node %s in %s to replace (an excerpt is marked\n'
                        '<!-- docs-test: fragment -->)' % (name, self.last_agdf))
            return
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        lines[start:end] = b.text.rstrip('\n').split('\n')
        with open(self.last_agdf, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines))
        self.compile_agdf(b, self.last_agdf)

    def run_sh(self, b):
        state = self.state
        # The reader's shell persists: the directory and the exported variables.
        script = ('[ -f "$DOCS_TEST_STATE.env" ] && . "$DOCS_TEST_STATE.env"\n%s\nrc=$?\n'
                  'export -p | grep -Ev "^declare -x (PWD|OLDPWD|SHLVL|_)=" >"$DOCS_TEST_STATE.env"\n'
                  'pwd >"$DOCS_TEST_STATE.tmp"\nexit $rc\n' % b.text)
        env = dict(os.environ, DOCS_TEST_STATE=state)
        p = subprocess.run(['bash', '-c', script], cwd=self.cwd, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        self.last_out = p.stdout
        ok = p.returncode == 0 and os.path.exists(state + '.tmp')
        if ok:
            with open(state + '.tmp') as f:
                self.cwd = f.read().strip()
            os.remove(state + '.tmp')
        first = b.text.strip().split('\n')[0]
        self.result(b, 'sh ' + first[:40], ok, 'exit status %d\n%s' % (p.returncode, p.stdout))
        if not ok:
            self.stopped = True

    def check_output(self, b):
        ok = self.last_out == b.text
        diff = ''
        if not ok:
            diff = 'expected:\n' + b.text + 'got:\n' + (self.last_out or '')
        self.result(b, 'output', ok, diff)

    def check_files(self, b):
        missing = []
        for l in b.text.split('\n'):
            if l.strip():
                path = os.path.expandvars(l.split()[0])
                if not os.path.exists(path):
                    missing.append(path)
        self.result(b, 'files exist', not missing, 'missing: ' + ' '.join(missing))

    def step(self, b):
        first = b.text.split('\n')[0]
        fm, nm = FILE_LINE.match(first), NODE_LINE.match(first)
        if b.marker == 'skip':
            return
        if b.marker == 'files':
            self.check_files(b)
        elif b.lang == 'sh':
            self.run_sh(b)
        elif b.lang == '' and b.after_sh:
            self.check_output(b)
        elif b.marker == 'fragment':
            return
        elif b.lang and fm:
            self.write_file(b, fm.group(1))
        elif b.lang == 'c' and nm:
            self.replace_node(b, nm.group(1))
        elif b.lang == 'c' and AGDF_SYNTAX.search(b.text):
            self.result(b, 'agdf block', False,
                        'agdf syntax, but neither a complete file (a first line "// NAME.agdf")\n'
                        'nor a node replacement nor marked <!-- docs-test: fragment -->')

    def run(self, blocks):
        for b in blocks:
            if self.stopped:
                break
            self.step(b)


def main():
    args = sys.argv[1:]
    page, start = args[0], os.path.abspath(args[1])
    opts = dict(zip(args[2::2], args[3::2]))
    r = Replay(page, start, os.path.abspath(opts.get('--agdfc', 'bin/agdfc')),
               os.path.abspath(opts.get('--runtime', 'runtime')))
    with tempfile.TemporaryDirectory() as d:
        r.state = os.path.join(d, 'shell')
        r.run(blocks_of(page))
    return 0


if __name__ == '__main__':
    sys.exit(main())
