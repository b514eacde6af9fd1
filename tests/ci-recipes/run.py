#!/usr/bin/env python3
"""Runs the shell steps of every CI recipe under examples/ci/ against a local
portable archive, the way their CI would run them, and fails when a recipe
does not end with a sandbox answering at the URL it hands the tests.

- GitHub workflows (github-actions*.yml): each job's steps in order, with the
  job's env, $GITHUB_ENV and $GITHUB_OUTPUT files and ${{ }} expressions for
  steps.*.outputs.*. `uses: actions/checkout` is skipped; `uses:` of this
  repository's action runs action.yml's composite steps (inputs from `with:`
  and the defaults, github.action_ref from the @ref). The release download is
  served from a local mirror (SANDBOX_RELEASES / PAYSANDBOX_RELEASES,
  file://) laid out as GitHub's. A service container cannot run here: the
  archive's binary serves in its place and the recipe's URL points at it.
- GitLab CI (gitlab-ci.yml): before_script and script lines, with the
  job's variables, the service replaced the same way; the job image's own
  apt-get lines are left out.
- The merchant's own test command (`make test` in every recipe) is replaced by `curl -sf "$SANDBOX_URL/_sandbox/health"`, so the
  URL the recipe exports is checked as the tests would use it.

Usage: run.py --archive ARCHIVE [--source DIR]. Every wait is bounded
(60 s per step); servers a recipe started are stopped at its end.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import yaml

# The merchant's own test command in every recipe (YAML drops the comment
# that says so).
OWN_TEST = "make test"
STEP_TIMEOUT = 60


class RecipeError(Exception):
    pass


def expand(text, context):
    """Replaces ${{ a.b.c }} and ${{ x || y }} with values from context."""

    def value(expression):
        for alternative in expression.split("||"):
            alternative = alternative.strip()
            if alternative.startswith("'") and alternative.endswith("'"):
                return alternative[1:-1]
            found = context
            for part in alternative.split("."):
                if not isinstance(found, dict) or part not in found:
                    raise RecipeError("unknown expression ${{ %s }}" % expression.strip())
                found = found[part]
            if found not in (None, ""):
                return str(found)
        return ""

    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: value(m.group(1)), str(text))


class Runner:
    def __init__(self, archive, source, work):
        self.archive = archive
        self.source = source
        self.work = work
        self.version = re.search(r"payment-sandbox-([0-9.]+)-linux-", os.path.basename(archive)).group(1)
        # A local mirror of the release downloads.
        self.releases = os.path.join(work, "releases")
        release_dir = os.path.join(self.releases, "v" + self.version)
        os.makedirs(release_dir, exist_ok=True)
        shutil.copy(archive, release_dir)
        self.groups = []

    def shell(self, script, env, cwd):
        """bash -e, like GitHub's `shell: bash`, in its own process group so
        anything it leaves running can be stopped with the recipe."""
        process = subprocess.Popen(["bash", "-e", "-c", script], env=env, cwd=cwd,
                                   start_new_session=True)
        self.groups.append(process.pid)
        try:
            status = process.wait(timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise RecipeError("a step ran longer than %d s:\n%s" % (STEP_TIMEOUT, script))
        if status != 0:
            raise RecipeError("exit status %d from:\n%s" % (status, script))

    def stop_all(self, env):
        home = env.get("PAYSANDBOX_HOME")
        if home and os.path.exists(os.path.join(home, "pid")):
            subprocess.run([os.path.join(self.source, "scripts", "ci-sandbox"), "stop"], env=env,
                           check=False)
        for group in self.groups:
            try:
                os.killpg(group, signal.SIGTERM)
            except ProcessLookupError:
                pass
        self.groups = []

    def base_env(self, temp):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYSANDBOX_", "SANDBOX_"))}
        env.update({"RUNNER_TEMP": temp, "HOME": temp, "CI": "true",
                    "SANDBOX_RELEASES": "file://" + self.releases,
                    "PAYSANDBOX_RELEASES": "file://" + self.releases,
                    "PAYSANDBOX_HOME": os.path.join(temp, "payment-sandbox")})
        return env

    def local_service(self, temp):
        """The archive's binary serving on a free port, standing in for the
        recipe's service container. Returns its URL."""
        unpacked = os.path.join(temp, "service")
        os.makedirs(unpacked)
        subprocess.run(["tar", "-xzf", self.archive, "-C", unpacked, "--strip-components=1"], check=True)
        ready = os.path.join(temp, "service.url")
        process = subprocess.Popen([os.path.join(unpacked, "payment-sandbox"), "serve", "--port", "0",
                                    "--log-format", "none", "--ready-file", ready],
                                   start_new_session=True)
        self.groups.append(process.pid)
        deadline = time.time() + 10
        while not (os.path.exists(ready) and os.path.getsize(ready) > 0):
            if process.poll() is not None or time.time() > deadline:
                raise RecipeError("the stand-in service did not start")
            time.sleep(0.05)
        return open(ready).read().strip()

    def github(self, path):
        recipe = yaml.safe_load(open(path))
        for job_name, job in recipe["jobs"].items():
            temp = tempfile.mkdtemp(dir=self.work)
            env = self.base_env(temp)
            github_env = os.path.join(temp, "github_env")
            open(github_env, "w").close()
            env["GITHUB_ENV"] = github_env
            context = {"steps": {}, "vars": {}, "github": {}}
            service_url = None
            for name, service in (job.get("services") or {}).items():
                service_url = self.local_service(temp)
            for key, value in (job.get("env") or {}).items():
                env[key] = expand(value, context)
            if service_url is not None and "SANDBOX_URL" in env:
                env["SANDBOX_URL"] = service_url
            try:
                for step in job["steps"]:
                    self.github_step(step, env, context, temp)
                    # $GITHUB_ENV: NAME=value lines for the later steps.
                    for line in open(github_env).read().splitlines():
                        if "=" in line:
                            key, value = line.split("=", 1)
                            env[key] = value
            finally:
                self.stop_all(env)
            print("ci-recipes: %s job %s: ok" % (os.path.basename(path), job_name))

    def github_step(self, step, env, context, temp):
        if str(step.get("if", "")).strip() == "failure()":
            return
        step_env = dict(env)
        step_context = dict(context)
        for key, value in (step.get("env") or {}).items():
            step_env[key] = expand(value, step_context)
        output = os.path.join(temp, "output-%d" % len(os.listdir(temp)))
        open(output, "w").close()
        step_env["GITHUB_OUTPUT"] = output
        if "uses" in step:
            uses = step["uses"]
            if uses.startswith("actions/checkout@"):
                return
            repository, _, ref = uses.partition("@")
            if not repository.endswith("/payment-sandbox"):
                raise RecipeError("a step uses %s, which this test cannot run" % uses)
            outputs = self.action(step.get("with") or {}, repository, ref, step_env, temp)
        else:
            script = step["run"]
            if script.strip() == OWN_TEST:
                script = 'curl -sf "$SANDBOX_URL/_sandbox/health"; echo'
            self.shell(expand(script, context), step_env, self.work)
            outputs = read_outputs(output)
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": outputs}

    def action(self, given, repository, ref, env, temp):
        """action.yml's composite steps, with its inputs and outputs."""
        action = yaml.safe_load(open(os.path.join(self.source, "action.yml")))
        inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
        for name, value in given.items():
            if name not in inputs:
                raise RecipeError("the action has no input %s" % name)
            inputs[name] = str(value)
        context = {"inputs": inputs, "steps": {},
                   "github": {"action_ref": ref, "action_repository": repository}}
        for step in action["runs"]["steps"]:
            step_env = dict(env)
            step_env["GITHUB_ACTION_PATH"] = self.source
            for key, value in (step.get("env") or {}).items():
                step_env[key] = expand(value, context)
            output = os.path.join(temp, "action-output-%d" % len(os.listdir(temp)))
            open(output, "w").close()
            step_env["GITHUB_OUTPUT"] = output
            self.shell(expand(step["run"], context), step_env, self.work)
            if "id" in step:
                context["steps"][step["id"]] = {"outputs": read_outputs(output)}
        return {name: expand(spec["value"], context) for name, spec in action["outputs"].items()}

    def gitlab(self, path):
        recipe = yaml.safe_load(open(path))
        for job_name, job in recipe.items():
            if not isinstance(job, dict) or "script" not in job:
                continue
            temp = tempfile.mkdtemp(dir=self.work)
            env = self.base_env(temp)
            env.update({k: str(v) for k, v in (job.get("variables") or {}).items()})
            if job.get("services"):
                env["SANDBOX_URL"] = self.local_service(temp)
            lines = list(job.get("before_script") or []) + list(job["script"])
            try:
                for line in lines:
                    if line.startswith("apt-get "):
                        continue  # the job image's own setup
                    if line.strip() == OWN_TEST:
                        line = 'curl -sf "$SANDBOX_URL/_sandbox/health"; echo'
                    self.shell(line, env, self.work)
            finally:
                self.stop_all(env)
            print("ci-recipes: %s job %s: ok" % (os.path.basename(path), job_name))


def read_outputs(path):
    outputs = {}
    for line in open(path).read().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            outputs[key] = value
    return outputs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", required=True)
    parser.add_argument("--source", default=os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))
    args = parser.parse_args()
    archive = os.path.abspath(args.archive)
    recipes = os.path.join(args.source, "examples", "ci")
    work = tempfile.mkdtemp(prefix="ci-recipes-")
    failed = 0
    ran = 0
    try:
        runner = Runner(archive, args.source, work)
        for name in sorted(os.listdir(recipes)):
            path = os.path.join(recipes, name)
            text = open(path).read()
            # Every recipe that names a release names this one.
            for version in re.findall(r"(?:payment-sandbox(?::|@v)|SANDBOX_VERSION: )([0-9][0-9.]*[0-9])", text):
                if version != runner.version:
                    print("ci-recipes: %s names version %s, the archive is %s"
                          % (name, version, runner.version), file=sys.stderr)
                    failed += 1
            try:
                if name.startswith("github-actions"):
                    runner.github(path)
                    ran += 1
                elif name == "gitlab-ci.yml":
                    runner.gitlab(path)
                    ran += 1
            except RecipeError as error:
                print("ci-recipes: %s: %s" % (name, error), file=sys.stderr)
                failed += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if ran < 4:
        print("ci-recipes: ran %d recipes, expected at least 4" % ran, file=sys.stderr)
        failed += 1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
