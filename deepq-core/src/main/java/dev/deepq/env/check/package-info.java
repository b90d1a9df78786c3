/**
 * The environment checker: {@link dev.deepq.env.check.EnvChecker} runs an env (or a class named on the command line)
 * through the env contract and reports each problem with what is wrong and how to fix it.
 */
package dev.deepq.env.check;
