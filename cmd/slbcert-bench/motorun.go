package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Moto runs the same shapes against moto_server's IAM and ACM.
func (b *Bench) Moto(ctx context.Context) error {
	o := b.Opts
	res := &MotoResult{}
	addr, pid := "", 0
	if o.MotoURL != "" {
		addr = strings.TrimPrefix(strings.TrimSuffix(o.MotoURL, "/"), "http://")
	} else {
		logf("moto: starting %s", o.MotoBin)
		p, healthy, err := StartMoto(ctx, o.MotoBin, b.Tmp)
		if err != nil {
			return err
		}
		defer p.Stop()
		addr, pid, res.Start = p.Addr, p.Pid(), healthy
	}
	b.R.Moto = res
	m := NewMoto(addr, o.Workers)
	names, arns := &IDs{}, &IDs{}
	iamUpload := MotoUploadOp(m, b.Pair, fmt.Sprintf("bench-%d", time.Now().UnixNano()), names)
	acmImport := ACMImportOp(m, b.Pair, arns)
	seq := Limits{Ops: o.Seq, Duration: o.Duration}
	conc := Limits{Ops: manyOps, Duration: o.Duration}
	var err error
	steps := []struct {
		what    string
		dst     *Phase
		workers int
		lim     Limits
		op      func() func(int) (Op, error)
	}{
		{"IAM UploadServerCertificate, sequential", &res.IAMSeq, 1, seq, func() func(int) (Op, error) { return iamUpload }},
		{"IAM UploadServerCertificate, N workers", &res.IAMConc, o.Workers, conc, func() func(int) (Op, error) { return iamUpload }},
		{"IAM GetServerCertificate, N workers", &res.IAMRead, o.Workers, conc, func() func(int) (Op, error) { return MotoGetOp(m, names.Snapshot()) }},
		{"ACM ImportCertificate, sequential", &res.ACMSeq, 1, seq, func() func(int) (Op, error) { return acmImport }},
		{"ACM ImportCertificate, N workers", &res.ACMConc, o.Workers, conc, func() func(int) (Op, error) { return acmImport }},
		{"ACM DescribeCertificate, N workers", &res.ACMRead, o.Workers, conc, func() func(int) (Op, error) { return ACMDescribeOp(m, arns.Snapshot()) }},
	}
	for _, s := range steps {
		logf("moto: %s", s.what)
		op := s.op()
		if err := b.warm(ctx, op, warmup); err != nil {
			return fmt.Errorf("moto warm-up: %w", err)
		}
		if *s.dst, err = Measure(ctx, pid, s.workers, s.lim, op); err != nil {
			return err
		}
	}
	if pid > 0 {
		res.Memory, _ = ReadMemory(pid)
	}
	return nil
}
