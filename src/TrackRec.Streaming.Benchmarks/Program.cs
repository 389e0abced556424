using BenchmarkDotNet.Running;

// The hot spots of the worker's partition path (docs/performance.md), each measured alone.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
